import type { Locale, ReportReason } from '../core/types.ts';

/**
 * The widget's own words. Messages the server can also produce (too short, too long, rate limited,
 * pending) come from the shared catalogue in core/messages.ts instead, so both sides say the same.
 */
export interface Strings {
  heading: string;
  total(n: number): string;
  bodyLabel: string;
  bodyPlaceholder: string;
  nameLabel: string;
  emailLabel: string;
  optional: string;
  honeypot: string;
  submit: string;
  sending: string;
  counter(left: number, max: number): string;
  over(n: number, max: number): string;
  nameRequired: string;
  published: string;
  preModeration: string;
  pendingBadge: string;
  pendingNote: string;
  empty: string;
  loading: string;
  loadMore: string;
  loadFailed: string;
  retry: string;
  network: string;
  reply: string;
  replyTo(name: string): string;
  cancel: string;
  listLabel: string;
  repliesLabel(name: string): string;
  report: string;
  reportOf(name: string): string;
  reportTitle: string;
  reportHint: string;
  reportReasonLegend: string;
  reportReasons: Record<ReportReason, string>;
  reportNote: string;
  reportSend: string;
  reportSending: string;
  reportPick: string;
  reportDone: string;
  reportGone: string;
  justNow: string;
  minutes(n: number): string;
  hours(n: number): string;
  days(n: number): string;
}

const vi: Strings = {
  heading: 'BÌNH LUẬN',
  total: (n) => `${n} bình luận`,
  bodyLabel: 'Ý kiến của bạn',
  bodyPlaceholder: 'Chia sẻ ý kiến của bạn…',
  nameLabel: 'Tên hiển thị',
  emailLabel: 'Email',
  optional: '(không bắt buộc, không hiển thị)',
  honeypot: 'Để trống ô này',
  submit: 'Gửi bình luận',
  sending: 'Đang gửi…',
  counter: (left, max) => `Bạn còn ${left}/${max} ký tự`,
  over: (n, max) => `Vượt quá ${n} ký tự (tối đa ${max})`,
  nameRequired: 'Bạn vui lòng nhập tên hiển thị',
  published: 'Bình luận của bạn đã được đăng',
  preModeration: 'Bình luận được ban biên tập duyệt trước khi đăng.',
  pendingBadge: 'Chờ duyệt',
  pendingNote: 'Chỉ bạn nhìn thấy bình luận này cho đến khi được duyệt.',
  empty: 'Chưa có bình luận nào. Hãy là người đầu tiên!',
  loading: 'Đang tải bình luận…',
  loadMore: 'Xem thêm',
  loadFailed: 'Không tải được bình luận.',
  retry: 'Thử lại',
  network: 'Không kết nối được với máy chủ bình luận. Bạn vui lòng kiểm tra mạng và thử lại.',
  reply: 'Trả lời',
  replyTo: (name) => `Trả lời ${name}`,
  cancel: 'Hủy',
  listLabel: 'Danh sách bình luận',
  repliesLabel: (name) => `Trả lời bình luận của ${name}`,
  report: 'Báo vi phạm',
  reportOf: (name) => `Báo vi phạm bình luận của ${name}`,
  reportTitle: 'Báo vi phạm',
  reportHint: 'Ban biên tập sẽ xem xét bình luận này. Người viết không biết ai đã báo cáo.',
  reportReasonLegend: 'Lý do',
  reportReasons: {
    spam: 'Spam, quảng cáo',
    abuse: 'Xúc phạm, thù ghét, quấy rối',
    off_topic: 'Không liên quan đến bài viết',
    other: 'Lý do khác',
  },
  reportNote: 'Ghi chú',
  reportSend: 'Gửi báo cáo',
  reportSending: 'Đang gửi…',
  reportPick: 'Bạn vui lòng chọn một lý do',
  reportDone: 'Cảm ơn bạn đã báo cáo',
  reportGone: 'Bình luận này không còn hiển thị',
  justNow: 'vừa xong',
  minutes: (n) => `${n} phút trước`,
  hours: (n) => `${n} giờ trước`,
  days: (n) => `${n} ngày trước`,
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const en: Strings = {
  heading: 'COMMENTS',
  total: (n) => plural(n, 'comment', 'comments'),
  bodyLabel: 'Your comment',
  bodyPlaceholder: 'Share your thoughts…',
  nameLabel: 'Display name',
  emailLabel: 'Email',
  optional: '(optional, never shown)',
  honeypot: 'Leave this field empty',
  submit: 'Post comment',
  sending: 'Posting…',
  counter: (left, max) => `${left}/${max} characters left`,
  over: (n, max) => `${plural(n, 'character', 'characters')} over the ${max} limit`,
  nameRequired: 'Please enter a display name',
  published: 'Your comment has been published',
  preModeration: 'Comments are reviewed by our editors before they appear.',
  pendingBadge: 'Awaiting review',
  pendingNote: 'Only you can see this comment until it is approved.',
  empty: 'No comments yet. Be the first!',
  loading: 'Loading comments…',
  loadMore: 'Load more',
  loadFailed: 'Comments could not be loaded.',
  retry: 'Try again',
  network: 'Could not reach the comment server. Please check your connection and try again.',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancel: 'Cancel',
  listLabel: 'Comments',
  repliesLabel: (name) => `Replies to ${name}`,
  report: 'Report',
  reportOf: (name) => `Report the comment by ${name}`,
  reportTitle: 'Report a comment',
  reportHint: 'Our editors will review this comment. The writer is not told who reported it.',
  reportReasonLegend: 'Reason',
  reportReasons: {
    spam: 'Spam or advertising',
    abuse: 'Abusive, hateful or harassing',
    off_topic: 'Not about the article',
    other: 'Something else',
  },
  reportNote: 'Note',
  reportSend: 'Send report',
  reportSending: 'Sending…',
  reportPick: 'Please choose a reason',
  reportDone: 'Thank you for your report',
  reportGone: 'This comment is no longer shown',
  justNow: 'just now',
  minutes: (n) => `${plural(n, 'minute', 'minutes')} ago`,
  hours: (n) => `${plural(n, 'hour', 'hours')} ago`,
  days: (n) => `${plural(n, 'day', 'days')} ago`,
};

export const STRINGS: Record<Locale, Strings> = { vi, en };

/**
 * "5 phút trước" up to a month, then the date: readers of a news page care how fresh a comment is,
 * and an exact time is in the element's title. A clock slightly behind the server reads "vừa xong".
 */
export function relativeTime(iso: string, now: number, locale: Locale): string {
  const t = STRINGS[locale];
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, (now - then) / 1000);
  if (seconds < 60) return t.justNow;
  if (seconds < 3600) return t.minutes(Math.floor(seconds / 60));
  if (seconds < 86_400) return t.hours(Math.floor(seconds / 3600));
  if (seconds < 30 * 86_400) return t.days(Math.floor(seconds / 86_400));
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium' }).format(then);
}

/** The full date and time, for the tooltip and screen readers' `datetime`. */
export function fullTime(iso: string, locale: Locale): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'full', timeStyle: 'short' }).format(
    then,
  );
}
