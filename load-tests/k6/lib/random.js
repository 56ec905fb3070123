// Small helpers (k6's jslib is fetched over the network at run time; these keep the scripts offline).

/** @param {number} min @param {number} max inclusive */
export function randomIntBetween(min, max) {
  return Math.floor(Math.random() * (max - min + 1)) + min;
}

/** A random RFC 4122 v4 uuid (idempotency keys). */
export function uuidv4() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16);
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}
