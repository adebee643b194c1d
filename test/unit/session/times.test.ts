import { describe, expect, test } from 'vitest';
import { parseSession } from '../../../common/session/parse';
import { sessionTimes } from '../../../common/session/times';

const session = (over: Record<string, unknown>) =>
  parseSession(
    JSON.stringify({
      session_id: 'a1b2c3d4-0000-4000-8000-000000000001',
      state: 'COMPLETED',
      resources: {
        id_documents: [
          {
            id: 'r1',
            created_at: '2026-01-05T10:02:00Z',
            last_updated: '2026-01-05T10:09:00Z',
            tasks: [{ id: 't1', type: 'ID_DOCUMENT_TEXT_DATA_EXTRACTION', state: 'DONE', created: '2026-01-05T10:03:00Z', last_updated: '2026-01-05T10:04:00Z' }],
            // Offsets differ: 11:01+02:00 is 09:01Z, the earliest instant of all.
            pages: [{ capture_method: 'CAMERA', media: { id: 'm1', type: 'IMAGE', created: '2026-01-05T11:01:00+02:00', last_updated: '2026-01-05T12:00:00Z' } }],
          },
        ],
      },
      checks: [
        { id: 'c1', type: 'ID_DOCUMENT_AUTHENTICITY', state: 'DONE', created: '2026-01-05T10:05:00Z', last_updated: '2026-01-05T10:07:30Z' },
        { id: 'c2', type: 'LIVENESS', state: 'DONE', created: 'yesterday', last_updated: 'not a time' },
      ],
      ...over,
    }),
  ).session;

describe('when a session was created and completed, derived from the times inside it', () => {
  test('created: the earliest instant of any resource, task, check or media item; completed: the last check or task update', () => {
    expect(sessionTimes(session({}))).toEqual({ created: '2026-01-05T11:01:00+02:00', completed: '2026-01-05T10:07:30Z' });
  });

  test('a session that is not COMPLETED has no completed time', () => {
    expect(sessionTimes(session({ state: 'ONGOING' }))).toEqual({ created: '2026-01-05T11:01:00+02:00' });
  });

  test('nothing that parses as a time: nothing derived (never a guess)', () => {
    expect(sessionTimes(session({ resources: {}, checks: [{ id: 'c', type: 'LIVENESS', created: 'soon', last_updated: '' }] }))).toEqual({});
  });
});
