/**
 * A row of buttons of which one is pressed: the insights' choice of view, of whose figures, of
 * period. `options` maps each value to what its button says, in order.
 */
export function OptionButtons<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: Record<NoInfer<T>, string>;
  onChange(value: NoInfer<T>): void;
}) {
  return (
    <div role="group" aria-label={label} className="insights-series__views">
      {(Object.entries(options) as Array<[T, string]>).map(([v, text]) => (
        <button
          key={v}
          type="button"
          className={`button button--small${value === v ? ' button--accent' : ''}`}
          aria-pressed={value === v}
          onClick={() => onChange(v)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
