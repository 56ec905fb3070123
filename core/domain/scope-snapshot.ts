import type { AnalyticsSnapshot } from '../contract/commands.js';

/**
 * What an organizer may see of an event's live snapshot: everything about that event, but the
 * top-events ranking only for its own entry (other events' names and revenue are not theirs),
 * and none of the platform's connection figures (how many people use the whole platform, per
 * gateway, is the operator's business): `connections` is 0 and the per-instance split absent.
 */
export function scopeSnapshotToEvent(snapshot: AnalyticsSnapshot, eventId: string): AnalyticsSnapshot {
  const { connectionsByInstance: _, ...rest } = snapshot;
  return { ...rest, connections: 0, topEvents: snapshot.topEvents.filter((e) => e.eventId === eventId) };
}
