/**
 * Shared shapes of the demo server. JSON values here cannot hold null: Yoti omits absent fields and
 * the official SDK rejects a null scalar, so the generated sessions never contain one.
 */
export type JsonValue = string | number | boolean | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One media item of a session: fixed bytes, bytes generated on first request (then cached), or "no content" (204). */
export type DemoMedia =
  | { contentType: string; bytes: Uint8Array }
  | { contentType: string; generate: () => Uint8Array }
  | { noContent: true };

export interface DemoSession {
  sessionId: string;
  /**
   * The GET /sessions/{id} body, served as is. Generated sessions never contain null; a fixture may,
   * on purpose, to exercise a client's tolerance.
   */
  session: Readonly<Record<string, unknown>>;
  /** mediaId → content. */
  media: ReadonlyMap<string, DemoMedia> | Readonly<Record<string, DemoMedia>>;
  /** GET /sessions/{id}/configuration body; derived from the session when absent. */
  configuration?: Readonly<Record<string, unknown>>;
  /**
   * Simulated asynchronous checks (sandbox `async_report_delay`): until this instant the server serves
   * `pendingSession` instead of `session`.
   */
  reportsAvailableAt?: Date;
  pendingSession?: Readonly<Record<string, unknown>>;
}
