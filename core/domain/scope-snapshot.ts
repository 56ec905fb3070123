import type { AnalyticsSnapshot } from '../contract/commands.js';

/**
 * What an organizer may see of an event's live snapshot: everything about that event, but the
 * top-events ranking only for its own entry (other events' names and revenue are not theirs).
 */
export function scopeSnapshotToEvent(snapshot: AnalyticsSnapshot, eventId: string): AnalyticsSnapshot {
  return { ...snapshot, topEvents: snapshot.topEvents.filter((e) => e.eventId === eventId) };
}
