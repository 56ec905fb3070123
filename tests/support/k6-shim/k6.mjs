// `k6`: sleep blocks the VU (here: the whole process, as k6's sleep blocks its VU's event loop).
const cell = new Int32Array(new SharedArrayBuffer(4));
export function sleep(seconds) {
  Atomics.wait(cell, 0, 0, Math.max(0, seconds * 1000));
}
