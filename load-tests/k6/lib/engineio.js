// Socket.IO v4 packets over Engine.IO v4, as text frames on a websocket (no k6 import: unit-tested
// against socket.io-parser in tests/unit/k6-contract.test.ts).
//   server `0{sid,pingInterval,...}` Engine.IO open; `2` ping -> client `3` pong; `1` close
//   client `40{auth}` (or `40/admin,{auth}`) namespace connect
//   server `40{sid}` namespace connected, `44{message,data}` connect_error, `41` disconnect
//   client `42<id>["name",payload]` emit with ack id -> server `43<id>[ack]`
//   server `42["name",payload]` push
// Non-root namespaces prefix every Socket.IO packet after its type with `/admin,`.

/** @param {string} namespace */
export const namespacePrefix = (namespace) => (namespace === '/' ? '' : `${namespace},`);

/** The namespace connect the client sends (with the handshake's auth).
 * @param {string} namespace @param {Record<string, unknown>} auth */
export const encodeConnect = (namespace, auth) => `40${namespacePrefix(namespace)}${JSON.stringify(auth)}`;

/** An emit with an ack id. @param {string} namespace @param {number} id @param {string} name @param {unknown} payload */
export const encodeEmit = (namespace, id, name, payload) =>
  `42${namespacePrefix(namespace)}${id}${JSON.stringify(payload === undefined ? [name] : [name, payload])}`;

export const PONG = '3';

/**
 * @typedef {{ kind: 'open', data: any }
 *   | { kind: 'ping' }
 *   | { kind: 'close' }
 *   | { kind: 'connect', data: any }
 *   | { kind: 'connect_error', data: any }
 *   | { kind: 'disconnect' }
 *   | { kind: 'event', name: string, body: string }
 *   | { kind: 'ack', id: number, reply: any }
 *   | { kind: 'ignored', reason: string }} Packet
 */

/**
 * Reads one text frame from the server for `namespace`. Events keep their JSON body unparsed
 * (`parseEventPayload` reads it only when someone listens); their name is read without parsing.
 * @param {string} msg
 * @param {string} namespace
 * @returns {Packet}
 */
export function decodePacket(msg, namespace) {
  const eio = msg[0];
  if (eio === '2') return { kind: 'ping' };
  if (eio === '0') return { kind: 'open', data: safeJson(msg.slice(1)) };
  if (eio === '1') return { kind: 'close' };
  if (eio !== '4') return { kind: 'ignored', reason: `engine.io packet ${eio}` };
  const type = msg[1];
  let rest = msg.slice(2);
  const nsp = namespacePrefix(namespace);
  if (nsp) {
    if (!rest.startsWith(nsp)) return { kind: 'ignored', reason: 'another namespace' };
    rest = rest.slice(nsp.length);
  } else if (rest[0] === '/') {
    return { kind: 'ignored', reason: 'another namespace' };
  }
  if (type === '0') return { kind: 'connect', data: safeJson(rest) };
  if (type === '4') return { kind: 'connect_error', data: safeJson(rest) };
  if (type === '1') return { kind: 'disconnect' };
  if (type === '2') {
    const bracket = rest.indexOf('[');
    const body = rest.slice(bracket);
    return { kind: 'event', name: body.slice(2, body.indexOf('"', 2)), body };
  }
  if (type === '3') {
    const bracket = rest.indexOf('[');
    const reply = safeJson(rest.slice(bracket));
    return { kind: 'ack', id: Number(rest.slice(0, bracket)), reply: Array.isArray(reply) ? reply[0] : undefined };
  }
  return { kind: 'ignored', reason: `socket.io packet ${type}` };
}

/** The payload of an event body `["name",payload]`. @param {string} body */
export const parseEventPayload = (body) => JSON.parse(body)[1];

/** @param {string} text */
function safeJson(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
