// What an enterprise looks like to every part of Tandem: its facilities, the links
// "treatment T serves production P", its meters and the gateway that reads them. The
// collector's bulk import and the simulator's site files both use this shape (a site
// file adds a `sim` section of its own).
import { Type, type Static } from '@sinclair/typebox';
import { GATEWAY_ID_PATTERN } from './topics.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

export const FACILITY_KINDS = ['production', 'treatment', 'total'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** Per-facility power thresholds (W). Absent ones are learned from the facility's history. */
export const ThresholdsSchema = Type.Object(
  {
    offBelowW: Type.Optional(Type.Number({ minimum: 0, description: 'below: off' })),
    runningAboveW: Type.Optional(Type.Number({ minimum: 0, description: 'above: running; between: idle' })),
    runningLevelW: Type.Optional(Type.Number({ minimum: 0, description: 'normal running power, for treatment-weak' })),
  },
  { additionalProperties: false },
);
export type Thresholds = Static<typeof ThresholdsSchema>;

export const FacilitySchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union(FACILITY_KINDS.map((k) => Type.Literal(k))),
    /** For a treatment facility: the production facilities it serves. */
    serves: Type.Optional(Type.Array(Id)),
    thresholds: Type.Optional(ThresholdsSchema),
  },
  { additionalProperties: false },
);
export type Facility = Static<typeof FacilitySchema>;

export const RegistryMeterSchema = Type.Object(
  {
    id: Id,
    facility: Id,
    /** The bus it hangs on, one of the enterprise's gateway buses (see messages.ts Bus). */
    bus: Id,
    unit: Type.Integer({ minimum: 0, maximum: 247 }),
    profile: Type.String({ minLength: 1, maxLength: 64 }),
    pt: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    ct: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type RegistryMeter = Static<typeof RegistryMeterSchema>;

export const EnterpriseSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** Free-form grouping for orders, e.g. a district. */
    group: Type.Optional(Type.String({ maxLength: 64 })),
    gateway: Type.Object(
      {
        id: Type.String({ pattern: GATEWAY_ID_PATTERN.source }),
        pollIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
        /** Buses without meters (meters name their bus); same variants as messages.ts Bus. */
        buses: Type.Array(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: false },
    ),
    facilities: Type.Array(FacilitySchema, { minItems: 1 }),
    meters: Type.Array(RegistryMeterSchema),
  },
  { additionalProperties: true }, // a simulator site file adds `sim`
);
export type Enterprise = Static<typeof EnterpriseSchema>;
