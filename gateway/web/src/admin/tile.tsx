/** One figure of a tile grid (`<ul className="tiles">`): the value large, what it is below. */
export function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <li className="tile">
      <span className="value" data-testid={testId}>
        {value}
      </span>
      <span className="label">{label}</span>
    </li>
  );
}
