/** The session model: one tolerant schema of GET /sessions/{id} and the pure helpers a reviewer's view needs. */
export * from './schema';
export { parseSession, SESSION_LIMITS, type ParsedSession } from './parse';
export { formatPath, type Problem } from './tolerant';
export * from './attempts';
export * from './media';
export * from './face-match';
export * from './document-fields';
export * from './reasons';
export * from './words';
export * from './summary';
export * from './overall';
export * from './review-status';
export * from './warnings';
export * from './changed-fields';
export * from './document-facts';
export * from './times';
