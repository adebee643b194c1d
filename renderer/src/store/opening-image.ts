/**
 * The image a session opens on, asked for on the click: its queue row names it (main picks it by the
 * viewer's own rule, common/session/evidence.ts), so its transfer and decode overlap the opening, in
 * which main records the opening and checks every stored item before the view comes. Nothing of it is
 * shown from here: the stage shows the same URL once the view has come, from the page's image cache.
 * One element, reused, holds the latest (so the page's node count does not grow over a day).
 */
let holder: HTMLImageElement | undefined;

export function loadOpeningImage(url: string | undefined): void {
  holder ??= Object.assign(new Image(), { decoding: 'async' as const });
  if (url === undefined) {
    holder.removeAttribute('src');
    return;
  }
  if (holder.getAttribute('src') === url) return;
  holder.src = url;
  void holder.decode().catch(() => undefined);
}
