/**
 * A result shown with an icon AND words, never colour alone. `tone` only adds colour.
 */
export type Tone = 'pass' | 'fail' | 'na' | 'warn' | 'pending' | 'info';

const ICON: Record<Tone, string> = { pass: '✓', fail: '✗', na: '–', warn: '⚠', pending: '○', info: 'ℹ' };

export function toneOf(value: string | undefined): Tone {
  switch (value) {
    case 'APPROVE':
    case 'PASS':
    case 'Passed':
    case 'COMPLETED':
      return 'pass';
    case 'REJECT':
    case 'FAIL':
    case 'Failed':
    case 'EXPIRED':
      return 'fail';
    case 'NOT_AVAILABLE':
    case 'Skipped':
      return 'na';
    // Yoti's "look closer", and an overall result that is not a clean answer
    case 'CONSIDER':
    case 'NEEDS_ATTENTION':
      return 'warn';
    case 'PENDING':
    case 'ONGOING':
      return 'pending';
    default:
      return 'info';
  }
}

export function Verdict({ tone, text, testId }: { tone: Tone; text: string; testId?: string }): React.JSX.Element {
  return (
    <span className={`verdict verdict-${tone}`} data-testid={testId}>
      <span className="verdict-icon" aria-hidden="true">
        {ICON[tone]}
      </span>
      {text}
    </span>
  );
}
