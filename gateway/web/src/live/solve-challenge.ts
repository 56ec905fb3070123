import type { Challenge } from '../../../../core/contract/challenge.js';

/**
 * Solves a challenge in a Web Worker (the page stays responsive and can show progress); resolves
 * with the proof to send with the join. Progress goes from 0 to 1; the real work is about half
 * the range on average, so it usually ends early.
 */
export function solveChallengeInWorker(challenge: Challenge, onProgress: (share: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./challenge-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (m: MessageEvent<{ progress?: number; proof?: string | null }>) => {
      if (m.data.progress !== undefined) onProgress(m.data.progress);
      if (m.data.proof === undefined) return;
      worker.terminate();
      if (m.data.proof) resolve(m.data.proof);
      else reject(new Error('the challenge had no answer'));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the challenge worker failed'));
    };
    worker.postMessage({ challenge });
  });
}
