// Where a buyer carries on: after a reconnect from `me:state`, and where to shop
// once admitted (`shopUrl`: a queue tier and a shop tier). Pure.

/**
 * @typedef {{ admissionToken: string, expiresAt?: string, shopUrl?: string }} Admission
 * @typedef {{ step: 'pay', hold: { holdId: string, eventId: string, seats: unknown[], origin?: string } }
 *   | { step: 'shop', admission: Admission }
 *   | { step: 'wait-admission' }
 *   | { step: 'wait-offer' }
 *   | { step: 'join' }} Step
 */

/**
 * The next step of a buyer of `eventId` from its `me:state` reply: pay for (or release) a hold it
 * has, shop with a live admission, keep waiting for admission or for a waitlist offer, or join.
 * Without a state (an older server, a failed `me:state`) it joins: `queue:join` keeps the place
 * the user had and answers the admission it has.
 * @param {any} state the `data` of a `me:state` ack, or undefined
 * @param {string} eventId
 * @returns {Step}
 */
export function nextStep(state, eventId) {
  if (!state || typeof state !== 'object') return { step: 'join' };
  const mine = (/** @type {any} */ list) => (Array.isArray(list) ? list.filter((x) => x && x.eventId === eventId) : []);
  const hold = mine(state.holds)[0];
  if (hold && typeof hold.holdId === 'string') return { step: 'pay', hold };
  const queue = mine(state.queues);
  const admitted = queue.find((q) => q.state === 'admitted' && typeof q.admissionToken === 'string');
  if (admitted) return { step: 'shop', admission: admitted };
  if (queue.some((q) => q.state === 'waiting')) return { step: 'wait-admission' };
  if (mine(state.waitlists).length > 0) return { step: 'wait-offer' };
  return { step: 'join' };
}

/**
 * The base URL to shop at: `shopUrl` of the admission when it carries one (absolute http(s) or
 * ws(s), or a path on the same host), else `baseUrl` (a gateway of role `all`: stay).
 * @param {string} baseUrl
 * @param {unknown} shopUrl
 * @returns {string}
 */
export function shopBaseUrl(baseUrl, shopUrl) {
  const base = baseUrl.replace(/\/+$/, '');
  if (typeof shopUrl !== 'string' || shopUrl === '') return base;
  const absolute = /^(https?|wss?):\/\/[^/\s]+(\/[^\s]*)?$/i.exec(shopUrl);
  if (absolute) return shopUrl.replace(/^ws/i, 'http').replace(/\/+$/, '');
  const origin = /^(https?:\/\/[^/]+)/i.exec(base);
  if (shopUrl.startsWith('/') && !shopUrl.startsWith('//') && origin) return `${origin[1]}${shopUrl}`.replace(/\/+$/, '');
  return base;
}
