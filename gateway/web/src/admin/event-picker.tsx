import type { ManagedEvent } from '../../../../core/contract/console.js';

/** The console's live event picker; `allLabel` adds an "all" choice (value ''). */
export function EventPicker({
  events,
  value,
  onChange,
  allLabel,
}: {
  events: readonly ManagedEvent[];
  value: string;
  onChange: (eventId: string) => void;
  allLabel?: string;
}) {
  return (
    <label className="inline-label">
      Event
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {allLabel && <option value="">{allLabel}</option>}
        {events.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
