/** Problems with what is shown (damaged or changed files), each a warning line, announced at once. */
export function ProblemList({ problems }: { problems: readonly string[] }): React.JSX.Element | null {
  if (problems.length === 0) return null;
  return (
    <ul className="warnings" role="alert">
      {problems.map((p, i) => (
        <li key={i} className="warning">
          <span className="warning-icon" aria-hidden="true">
            ⚠
          </span>
          {p}
        </li>
      ))}
    </ul>
  );
}
