/// <reference lib="webworker" />
import { type Challenge, solveChallengeProof } from '../../../../core/contract/challenge.js';

/**
 * Solves a waiting-room challenge off the page's thread: `{challenge}` in, `{progress}` messages
 * (0..1) while working, then `{proof}` (or `{proof: null}` when the range held no answer).
 */
self.onmessage = async (message: MessageEvent<{ challenge: Challenge }>) => {
  const post = (data: unknown) => (self as unknown as Worker).postMessage(data);
  const proof = await solveChallengeProof(message.data.challenge, {
    onProgress: (tried, of) => post({ progress: Math.min(1, tried / Math.max(1, of)) }),
  });
  post({ proof });
};
