// The Node-RED flow a user would build for the same meters: one Modbus-Read node per meter
// (one request spanning its registers, every 15 s), one function node turning registers
// into a JSON reading, and the MQTT out node. One shared Modbus client over raw RTU over
// TCP (contrib-modbus "TELNET"), one request at a time as on an RS-485 line.

/** adw300 (protocol/profiles/adw300.json): u1..u3 at 20..22, i1..i3 at 26..28, p int32 at 36, ei int32 at 62. */
export const FIRST_REGISTER = 20;
export const REGISTER_COUNT = 44;

const DECODE = `
const r = msg.payload;
const i32 = (k) => ((r[k] << 16) | r[k + 1]);
msg.payload = JSON.stringify({
  meter: msg.topic, t: Date.now(),
  u1: r[0] / 10, u2: r[1] / 10, u3: r[2] / 10,
  i1: r[6] / 100, i2: r[7] / 100, i3: r[8] / 100,
  p: i32(16), ei: i32(42) / 100,
});
msg.topic = 'nodered/' + msg.topic;
return msg;`;

/** Config node ids must differ from every node type: Node-RED reads a property equal to an id as a dependency. */
export function nodeRedFlow(o: { meters: number; pollIntervalS: number; modbusHost: string; modbusPort: number; mqttPort: number }): object[] {
  const client = {
    id: 'cfg-modbus', type: 'modbus-client', name: 'rs485', clienttype: 'tcp', bufferCommands: true, stateLogEnabled: false,
    queueLogEnabled: false, failureLogEnabled: false, tcpHost: o.modbusHost, tcpPort: String(o.modbusPort), tcpType: 'TELNET',
    unit_id: '1', commandDelay: '1', clientTimeout: '1000', reconnectOnTimeout: true, reconnectTimeout: '2000',
    parallelUnitIdsAllowed: false, showErrors: false, showWarnings: false, showLogs: false,
  };
  const broker = {
    id: 'cfg-mqtt', type: 'mqtt-broker', name: 'broker', broker: '127.0.0.1', port: String(o.mqttPort), clientid: 'node-red-bench',
    autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true,
    birthTopic: '', closeTopic: '', willTopic: '',
  };
  const flow = { id: 'flow', type: 'tab', label: 'meters' };
  const decode = { id: 'decode', type: 'function', z: 'flow', name: 'registers → reading', func: DECODE, outputs: 1, wires: [['mqtt-out']] };
  const out = { id: 'mqtt-out', type: 'mqtt out', z: 'flow', name: 'uplink', topic: '', qos: '1', retain: 'false', broker: 'cfg-mqtt', wires: [] };
  const reads = Array.from({ length: o.meters }, (_, m) => ({
    id: `read-${m + 1}`, type: 'modbus-read', z: 'flow', name: `meter ${m + 1}`, topic: `m${m + 1}`, showStatusActivities: false,
    logIOActivities: false, showErrors: false, showWarnings: false, unitid: String(m + 1), dataType: 'HoldingRegister',
    adr: String(FIRST_REGISTER), quantity: String(REGISTER_COUNT), rate: String(o.pollIntervalS), rateUnit: 's',
    delayOnStart: false, startDelayTime: '', server: 'cfg-modbus', useIOFile: false, ioFile: '', useIOForPayload: false,
    emptyMsgOnFail: false, wires: [['decode'], []],
  }));
  return [flow, client, broker, decode, out, ...reads];
}
