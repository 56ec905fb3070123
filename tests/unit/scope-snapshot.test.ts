import { describe, expect, it } from 'vitest';
import { emptyAnalyticsSnapshot } from '../../core/domain/build-analytics-snapshots.js';
import { scopeSnapshotToEvent } from '../../core/domain/scope-snapshot.js';

describe('scopeSnapshotToEvent', () => {
  it("shows an organizer its event, not the platform's connections or other events", () => {
    const eventId = '00000000-0000-4000-8000-000000000001';
    const other = '00000000-0000-4000-8000-000000000002';
    const full = {
      ...emptyAnalyticsSnapshot(new Date(0), eventId),
      connections: 12_345,
      connectionsByInstance: { 'gw-1': 6000, 'gw-2': 6345 },
      topEvents: [
        { eventId, name: 'Mine', sold: 3, revenueCents: 300 },
        { eventId: other, name: 'Theirs', sold: 9, revenueCents: 900 },
      ],
    };
    const scoped = scopeSnapshotToEvent(full, eventId);
    expect(scoped.connections).toBe(0);
    expect(scoped).not.toHaveProperty('connectionsByInstance');
    expect(scoped.topEvents).toEqual([{ eventId, name: 'Mine', sold: 3, revenueCents: 300 }]);
    expect(scoped.sold).toBe(full.sold);
  });
});
