/** A size as people read it on screen and in a terminal: "812 B", "1.5 KB", "20.0 MB" (units of 1,024). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
