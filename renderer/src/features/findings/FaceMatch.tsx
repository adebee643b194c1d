import type { FaceMatchResult } from '../../../../common/session/face-match';
import { checkStateWords, recommendationWords, resultWords } from '../../../../common/session/words';
import { describeReason } from '../../../../common/session/reasons';
import { Verdict, toneOf } from '../../app/Verdict';

/** The AI confidence score drawn on a 0–1 scale with the threshold marked, plus the manual result. */
export function ScoreBar({ score, threshold }: { score: number | null; threshold: number }): React.JSX.Element {
  const above = score !== null && score > threshold;
  const words =
    score === null
      ? `No usable confidence score; threshold ${threshold.toFixed(2)}`
      : `Confidence ${score.toFixed(2)} is ${above ? 'above' : 'not above'} the threshold ${threshold.toFixed(2)}`;
  return (
    <div className="scorebar" data-testid="face-score">
      <div className="score-track" role="img" aria-label={words}>
        {score !== null && <div className={`score-fill ${above ? 'is-above' : 'is-below'}`} style={{ width: `${score * 100}%` }} />}
        <div className="score-threshold" style={{ left: `${threshold * 100}%` }} />
      </div>
      <div className="score-scale" aria-hidden="true">
        <span>0</span>
        <span>0.5</span>
        <span>1</span>
      </div>
      <p className="score-words">
        AI confidence <strong data-testid="face-score-value">{score === null ? 'none' : score.toFixed(2)}</strong> · threshold{' '}
        <strong data-testid="face-threshold-value">{threshold.toFixed(2)}</strong> ·{' '}
        <Verdict tone={score === null ? 'na' : above ? 'pass' : 'fail'} text={score === null ? 'no score' : above ? 'above the threshold' : 'not above the threshold'} />
      </p>
    </div>
  );
}

export function FaceMatchCard({ f, label }: { f: FaceMatchResult; label: string }): React.JSX.Element {
  const reason = f.reason === undefined ? undefined : describeReason('ID_DOCUMENT_FACE_MATCH', f.reason);
  return (
    <article className="card face-card" aria-label={label}>
      <h4>{label}</h4>
      <ScoreBar score={f.score} threshold={f.threshold} />
      {f.score === null && f.scoreText !== undefined && <p className="muted">Yoti sent the score as "{f.scoreText}", which is not a number from 0 to 1.</p>}
      <dl className="facts">
        <dt>Yoti's recommendation</dt>
        <dd>
          {f.state !== undefined && f.state !== 'DONE' ? (
            <Verdict tone="pending" text={`Not done yet (${checkStateWords(f.state)})`} />
          ) : (
            <Verdict tone={toneOf(f.recommendation)} text={recommendationWords(f.recommendation)} />
          )}
        </dd>
        {reason && (
          <>
            <dt>Reason</dt>
            <dd>
              {reason.text} <code className="code">{reason.code}</code>
            </dd>
          </>
        )}
        <dt>AI result</dt>
        <dd>
          <Verdict tone={toneOf(f.aiResult)} text={resultWords(f.aiResult)} />
        </dd>
        <dt>Manual result</dt>
        <dd>
          <Verdict tone={toneOf(f.manualResult)} text={f.manualResult === undefined ? 'Not done by Yoti' : resultWords(f.manualResult)} />
        </dd>
      </dl>
    </article>
  );
}
