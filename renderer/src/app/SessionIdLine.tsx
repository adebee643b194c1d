/** "Session <id>" at the head of the findings, the id in full and selectable. */
export function SessionIdLine({ sessionId }: { sessionId: string }): React.JSX.Element {
  return (
    <p className="session-id">
      <span className="muted">Session </span>
      <span className="mono" data-testid="session-id">
        {sessionId}
      </span>
    </p>
  );
}
