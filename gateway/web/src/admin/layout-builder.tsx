import type { SectionsInput } from '../../../../core/contract/http.js';

export interface SectionDraft {
  key: number;
  name: string;
  price: string;
  rows: string;
  seatsPerRow: string;
}

let nextKey = 1;
export const sectionDraft = (name: string, price: string, rows: string, seatsPerRow: string): SectionDraft => ({
  key: nextKey++,
  name,
  price,
  rows,
  seatsPerRow,
});

export const draftsOf = (sections: readonly { name: string; priceCents: number; rows: number; seatsPerRow: number }[]) =>
  sections.map((s) => sectionDraft(s.name, (s.priceCents / 100).toFixed(2), String(s.rows), String(s.seatsPerRow)));

/** What the server validates (SectionsInput); the page only converts dollars to cents. */
export function toSections(drafts: readonly SectionDraft[]): SectionsInput {
  return drafts.map((s) => ({
    name: s.name,
    priceCents: Math.round(Number(s.price) * 100),
    rows: Number(s.rows),
    seatsPerRow: Number(s.seatsPerRow),
  }));
}

export const seatCountOf = (drafts: readonly SectionDraft[]) =>
  drafts.reduce((n, s) => n + (Number(s.rows) || 0) * (Number(s.seatsPerRow) || 0), 0);

/** Sections, rows, seats per row and prices, one table row per section. */
export function LayoutBuilder({
  sections,
  onChange,
  legend,
  disabled = false,
}: {
  sections: SectionDraft[];
  onChange: (next: SectionDraft[]) => void;
  legend?: string;
  disabled?: boolean;
}) {
  const update = (key: number, field: keyof SectionDraft, value: string) =>
    onChange(sections.map((s) => (s.key === key ? { ...s, [field]: value } : s)));
  const input = (s: SectionDraft, i: number, field: keyof SectionDraft, label: string, props: object) => (
    <input
      aria-label={`Section ${i + 1} ${label}`}
      value={s[field]}
      required
      disabled={disabled}
      onChange={(e) => update(s.key, field, e.target.value)}
      {...props}
    />
  );
  return (
    <fieldset disabled={disabled}>
      <legend>
        {legend ?? 'Sections'} ({seatCountOf(sections).toLocaleString()} seats)
      </legend>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Price ($)</th>
            <th>Rows</th>
            <th>Seats per row</th>
            <th>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sections.map((s, i) => (
            <tr key={s.key} data-testid="section-row">
              <td>{input(s, i, 'name', 'name', { maxLength: 60 })}</td>
              <td>{input(s, i, 'price', 'price', { type: 'number', min: 0, step: '0.01' })}</td>
              <td>{input(s, i, 'rows', 'rows', { type: 'number', min: 1, max: 200 })}</td>
              <td>{input(s, i, 'seatsPerRow', 'seats per row', { type: 'number', min: 1, max: 200 })}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove section ${i + 1}`}
                  disabled={disabled || sections.length <= 1}
                  onClick={() => onChange(sections.filter((x) => x.key !== s.key))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="secondary"
        disabled={disabled}
        onClick={() => onChange([...sections, sectionDraft(`Section ${sections.length + 1}`, '25.00', '5', '10')])}
      >
        Add a section
      </button>
    </fieldset>
  );
}
