// A tiny element builder: h('a', { href: '#/x', class: 'btn' }, 'text', child). Text is set
// as text, never as HTML, so names from the registry cannot inject markup.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

/** Replaces `node`'s children, skipping empty ones (null, false) like h() does. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** A table with a header row; `rows` are arrays of cells (strings or nodes). */
export function table(headers, rows, rowAttrs) {
  return h(
    'table',
    { class: 'grid' },
    h('thead', null, h('tr', null, headers.map((text) => h('th', null, text)))),
    h('tbody', null, rows.map((cells, i) => h('tr', rowAttrs ? rowAttrs(i) : null, cells.map((c) => h('td', null, c))))),
  );
}

/** A coloured label, e.g. an enterprise state or an alert state. */
export function badge(kind, text) {
  return h('span', { class: `badge badge-${kind}` }, text);
}
