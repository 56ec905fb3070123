import { pushQueuePositions } from '../../core/use-cases/queue/push-queue-positions.js';
import type { WorkerContext } from '../worker-context.js';

/** One position pass over every event with a waiting room. */
export async function pushAllQueuePositions(ctx: WorkerContext): Promise<void> {
  const eventIds = await ctx.redis.smembers(ctx.keys.onSaleEvents);
  for (const eventId of eventIds) {
    try {
      await pushQueuePositions(ctx, eventId, ctx.now());
    } catch (err) {
      ctx.log.warn({ err, eventId }, 'queue position pass failed');
    }
  }
}
