/**
 * "just now", "3 min ago", "2 h ago", "5 days ago": how long ago a session was last used, in the words a person
 * scans for. Beyond a month the date itself says more than a count of days.
 */
export function timeAgo(then: Date, now: Date = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (s < 60) return "just now";
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d < 31) return d === 1 ? "yesterday" : `${d} days ago`;
  return `on ${then.toISOString().slice(0, 10)}`;
}
