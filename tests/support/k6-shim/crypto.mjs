// `k6/crypto`: the hash functions the scripts use.
import { createHash } from 'node:crypto';
export const sha256 = (input, encoding) =>
  createHash('sha256')
    .update(input)
    .digest(encoding === 'base64' ? 'base64' : 'hex');
export default { sha256 };
