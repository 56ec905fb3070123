import { downloadText, toCsv } from './csv.js';

export interface Column<T> {
  label: string;
  /** The API's value, written to the CSV as is (cents stay cents). */
  value: (row: T) => string | number | null;
  /** How the page shows it (money, percent); the CSV keeps the raw value. */
  show?: (row: T) => string;
}

/** A report table with its own CSV export; the figures are the API's, never recomputed here. */
export function ReportTable<T>({
  title,
  file,
  columns,
  rows,
  testId,
}: {
  title: string;
  file: string;
  columns: Column<T>[];
  rows: readonly T[];
  testId: string;
}) {
  const csv = () =>
    downloadText(
      file,
      toCsv(
        columns.map((c) => c.label),
        rows.map((r) => columns.map((c) => c.value(r))),
      ),
    );
  return (
    <section className="report" aria-label={title} data-testid={testId}>
      <div className="row">
        <h2>{title}</h2>
        <button type="button" className="secondary" onClick={csv} disabled={rows.length === 0}>
          CSV<span className="sr-only"> of {title}</span>
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="hint">Nothing in this range.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label}>{c.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: report rows have no identity beyond their order
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.label}>{c.show ? c.show(r) : String(c.value(r) ?? '')}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
