/**
 * `<duyet-comments thread="article-123" lang="vi">`: the embeddable comment box, served as
 * `/widget.js` (bundled at start by src/runtime/node-assets.ts). Everything renders in an open
 * shadow root so the host page's CSS cannot reach it, and every comment and name goes in as text.
 * The counter and client-side checks call the server's own length rule and message catalogue, so
 * the widget never accepts what the server refuses, or says it differently.
 */
import { bannedMessage, message } from '../core/messages.ts';
import { checkLength, DEFAULT_LENGTH_LIMITS, type LengthLimits, normalizeText } from '../core/text/length.ts';
import { type Locale, REPORT_REASONS, type ReportReason } from '../core/types.ts';
import { Api, type PostResult, type PublicComment, type WidgetConfig } from './api.ts';
import { fullTime, relativeTime, STRINGS, type Strings } from './i18n.ts';
import { PendingStore, rememberedName } from './pending.ts';
import { CSS } from './styles.ts';

// Only readable while this script first runs (classic, defer or async): the API lives beside it.
const SCRIPT_SRC = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : '';

const PAGE_SIZE = 20;
const TAG = 'duyet-comments';

/** One config request per deployment, however many widgets the page holds. */
const configs = new Map<string, Promise<WidgetConfig | null>>();

let sheet: CSSStyleSheet | null | undefined;

/**
 * A constructed stylesheet is shared by every instance and is not an inline style, so a host page
 * whose CSP forbids inline styles still renders the widget; `<style>` is for older engines.
 */
function applyStyles(root: ShadowRoot): void {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  if (sheet && 'adoptedStyleSheets' in root) {
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
}

type Child = Node | string | null | undefined | false;

/** Strings become Text nodes (`append`), never markup. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(c);
  return el;
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, value: string): HTMLElementTagNameMap[K] {
  const el = h(tag, { class: cls });
  el.textContent = value;
  return el;
}

/** Vietnamese names end with the given name ("Nguyễn Văn An" → "A"), which is what people are called. */
function initial(name: string): string {
  const words = normalizeText(name).split(/\s+/);
  const first = [...(words[words.length - 1] ?? '')][0] ?? '?';
  return first.toLocaleUpperCase('vi');
}

function hue(name: string): number {
  let x = 0;
  for (const ch of name) x = (x * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return x;
}

function pickLocale(el: HTMLElement): Locale {
  const lang = (el.getAttribute('lang') || document.documentElement.lang || 'vi').toLowerCase();
  return lang.startsWith('en') ? 'en' : 'vi';
}

/** An explicit `api` / `data-api` attribute wins; otherwise the directory the script came from. */
function resolveBase(el: HTMLElement): string {
  const attr = el.getAttribute('api') || el.getAttribute('data-api');
  if (attr) return new URL(attr.endsWith('/') ? attr : `${attr}/`, location.href).href;
  return new URL('./', SCRIPT_SRC || location.href).href;
}

interface FormParts {
  form: HTMLFormElement;
  body: HTMLTextAreaElement;
  name: HTMLInputElement;
  email: HTMLInputElement;
  website: HTMLInputElement;
  counter: HTMLElement;
  msg: HTMLElement;
  submit: HTMLButtonElement;
  parent: PublicComment | null;
  busy: boolean;
}

interface ReportDialog {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  heading: HTMLElement;
  reasons: HTMLInputElement[];
  note: HTMLTextAreaElement;
  msg: HTMLElement;
  send: HTMLButtonElement;
  /** The comment being reported and the button that opened the dialog (focus returns to it). */
  target: { comment: PublicComment; li: HTMLElement; button: HTMLButtonElement } | null;
  busy: boolean;
}

interface OpenReply {
  li: HTMLElement;
  wrap: HTMLElement;
  button: HTMLButtonElement;
  parts: FormParts;
}

let uid = 0;

export class DuyetComments extends HTMLElement {
  static observedAttributes = ['thread', 'lang', 'api', 'data-api'];

  private root: ShadowRoot | null = null;
  private started = false;
  /** Bumped on every (re)start, so answers for a previous thread or language are dropped. */
  private generation = 0;
  private locale: Locale = 'vi';
  private t: Strings = STRINGS.vi;
  private api = new Api('', 'vi');
  private thread = '';
  private limits: LengthLimits = DEFAULT_LENGTH_LIMITS;
  private store = new PendingStore('', '');
  private forms = new Set<FormParts>();
  private main: FormParts | null = null;
  private reply: OpenReply | null = null;
  private list = h('ol');
  private state = h('div');
  private moreWrap = h('div');
  private moreButton = h('button');
  private totalEl = h('span');
  private cursor: string | null = null;
  private total = 0;
  private loading = false;
  private items = new Map<string, HTMLElement>();
  private pendingItems = new Map<string, HTMLElement>();
  /** Replies whose parent is on a page not loaded yet (the list is newest first, parents are older). */
  private orphans = new Map<string, PublicComment[]>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private reportDialog: ReportDialog | null = null;

  connectedCallback(): void {
    this.root ??= this.attachShadow({ mode: 'open' });
    if (!this.started) this.start();
    this.timer ??= setInterval(() => this.refreshTimes(), 60_000);
  }

  disconnectedCallback(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    if (this.started && this.isConnected && oldValue !== newValue) this.start();
  }

  private start(): void {
    const root = this.root;
    if (!root) return;
    this.started = true;
    const generation = ++this.generation;
    this.locale = pickLocale(this);
    this.t = STRINGS[this.locale];
    const base = resolveBase(this);
    this.api = new Api(base, this.locale);
    this.thread = this.getAttribute('thread') ?? '';
    this.store = new PendingStore(base, this.thread);
    this.forms.clear();
    this.items.clear();
    this.pendingItems.clear();
    this.orphans.clear();
    this.reply = null;
    this.reportDialog = null;
    this.cursor = null;
    this.total = 0;
    this.loading = false;

    const t = this.t;
    root.replaceChildren();
    applyStyles(root);
    this.totalEl = h('span', { class: 'total' });
    const headingId = `d${++uid}-h`;
    this.main = this.buildForm(null);
    this.list = h('ol', { class: 'list', 'aria-label': t.listLabel });
    this.state = h('div', { class: 'state', role: 'status' });
    this.moreButton = h('button', { type: 'button', class: 'sec' }, t.loadMore);
    this.moreButton.addEventListener('click', () => void this.load(generation));
    this.moreWrap = h('div', { class: 'more', hidden: '' }, this.moreButton);
    root.append(
      h(
        'section',
        { 'aria-labelledby': headingId, lang: this.locale },
        h('div', { class: 'head' }, h('h2', { id: headingId }, t.heading), this.totalEl),
        this.main.form,
        this.list,
        this.state,
        this.moreWrap,
      ),
    );

    if (!this.thread) {
      this.state.textContent = 'duyet-comments: thread="…" is required';
      return;
    }
    let config = configs.get(base);
    if (!config) {
      config = this.api.config();
      configs.set(base, config);
    }
    void config.then((c) => {
      if (!c || generation !== this.generation) return;
      this.limits = { min: c.minLength, max: c.maxLength };
      for (const f of this.forms) this.updateCounter(f);
      if (c.moderationMode === 'pre' && this.main) {
        this.main.form.insertBefore(h('p', { class: 'note' }, t.preModeration), this.main.msg);
      }
    });
    void this.load(generation);
  }

  private buildForm(parent: PublicComment | null): FormParts {
    const t = this.t;
    const id = `d${++uid}`;
    const body = h('textarea', {
      id: `${id}-b`,
      name: 'body',
      rows: parent ? '3' : '4',
      placeholder: t.bodyPlaceholder,
      'aria-describedby': `${id}-c ${id}-m`,
    });
    const name = h('input', { id: `${id}-n`, name: 'authorName', type: 'text', autocomplete: 'name' });
    name.required = true;
    name.value = this.main?.name.value || rememberedName.get();
    const email = h('input', { id: `${id}-e`, name: 'authorEmail', type: 'email', autocomplete: 'email' });
    if (this.main) email.value = this.main.email.value;
    // Humans never see or reach it; bots that fill every field get their comment quietly held.
    const website = h('input', { name: 'website', type: 'text', tabindex: '-1', autocomplete: 'off' });
    const counter = h('p', { id: `${id}-c`, class: 'counter', 'aria-live': 'polite' });
    const msg = h('p', { id: `${id}-m`, class: 'msg', 'aria-live': 'polite' });
    const submit = h('button', { type: 'submit', class: 'pri' }, t.submit);
    const bar = h('div', { class: 'bar' });
    const bodyLabel = h('label', { for: body.id });
    bodyLabel.textContent = parent ? t.replyTo(parent.authorName) : t.bodyLabel;
    const form = h(
      'form',
      { novalidate: '' },
      h('div', {}, bodyLabel, body, counter),
      h(
        'div',
        { class: 'fields' },
        h('div', {}, h('label', { for: name.id }, t.nameLabel), name),
        h('div', {}, h('label', { for: email.id }, t.emailLabel, ' ', h('span', { class: 'opt' }, t.optional)), email),
      ),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', {}, t.honeypot, website)),
      msg,
      bar,
    );
    const parts: FormParts = { form, body, name, email, website, counter, msg, submit, parent, busy: false };
    if (parent) {
      const cancel = h('button', { type: 'button', class: 'sec' }, t.cancel);
      cancel.addEventListener('click', () => this.closeReply(true));
      bar.append(cancel);
      form.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') this.closeReply(true);
      });
    }
    bar.append(submit);
    body.addEventListener('input', () => {
      this.updateCounter(parts);
      body.removeAttribute('aria-invalid');
    });
    name.addEventListener('input', () => name.removeAttribute('aria-invalid'));
    body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit(parts);
    });
    this.forms.add(parts);
    this.updateCounter(parts);
    return parts;
  }

  /** Same normalisation and grapheme count as the server: "ệ" typed as e + two marks is one. */
  private updateCounter(f: FormParts): void {
    const { max } = this.limits;
    const left = max - checkLength(f.body.value, this.limits).length;
    f.counter.textContent = left >= 0 ? this.t.counter(left, max) : this.t.over(-left, max);
    f.counter.classList.toggle('over', left < 0);
  }

  private say(f: FormParts, kind: 'ok' | 'err' | 'wait', value: string): void {
    // Errors interrupt; confirmations wait for a pause.
    f.msg.setAttribute('aria-live', kind === 'err' ? 'assertive' : 'polite');
    f.msg.className = `msg ${kind}`;
    f.msg.textContent = value;
  }

  private fail(f: FormParts, value: string, field: HTMLInputElement | HTMLTextAreaElement | null): void {
    this.say(f, 'err', value);
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  private errorText(r: Extract<PostResult, { kind: 'error' }>): string {
    if (r.code === 'NETWORK') return this.t.network;
    // The end of a ban in the reader's own time zone, which the server cannot know.
    if (r.code === 'AUTHOR_BANNED' && r.until !== undefined) return bannedMessage(this.locale, r.until, fullTime);
    // COMMENT_REJECTED names the terms to change; without any, drop the dangling colon.
    if (r.message) return r.message.replace(/:\s*$/, '');
    return message(this.locale, r.code, { retryAfter: r.retryAfter ?? 60, ...this.limits });
  }

  private async submit(f: FormParts): Promise<void> {
    if (f.busy) return;
    const t = this.t;
    const check = checkLength(f.body.value, this.limits);
    if (!check.ok) {
      this.fail(f, message(this.locale, check.code, { ...this.limits }), f.body);
      return;
    }
    const authorName = normalizeText(f.name.value);
    if (!authorName) {
      this.fail(f, t.nameRequired, f.name);
      return;
    }
    const generation = this.generation;
    f.busy = true;
    f.submit.setAttribute('aria-disabled', 'true');
    f.submit.textContent = t.sending;
    f.form.setAttribute('aria-busy', 'true');
    const email = f.email.value.trim();
    const result = await this.api.post(this.thread, {
      body: f.body.value,
      authorName,
      ...(email ? { authorEmail: email } : {}),
      ...(f.parent ? { parentId: f.parent.id } : {}),
      website: f.website.value,
    });
    f.busy = false;
    f.submit.removeAttribute('aria-disabled');
    f.submit.textContent = t.submit;
    f.form.removeAttribute('aria-busy');
    if (generation !== this.generation) return;

    if (result.kind === 'error') {
      const field =
        result.code === 'COMMENT_TOO_SHORT' || result.code === 'COMMENT_TOO_LONG' || result.code === 'COMMENT_REJECTED'
          ? f.body
          : null;
      this.fail(f, this.errorText(result), field);
      return;
    }
    rememberedName.set(authorName);
    f.body.value = '';
    this.updateCounter(f);
    const held = result.kind === 'held';
    if (held) this.store.add(result.comment);
    else this.setTotal(this.total + 1);
    const li = this.show(result.comment, { pending: held, fresh: true });
    const note = held ? result.message || message(this.locale, 'COMMENT_PENDING') : t.published;
    if (f.parent && this.main) {
      // The reply form goes away; the new reply takes focus so the reader knows where it landed.
      this.closeReply(false);
      this.say(this.main, held ? 'wait' : 'ok', note);
      li?.focus();
    } else {
      this.say(f, held ? 'wait' : 'ok', note);
    }
    this.updateState();
  }

  private async load(generation: number): Promise<void> {
    if (this.loading || generation !== this.generation) return;
    this.loading = true;
    const t = this.t;
    const first = this.items.size === 0 && this.cursor === null;
    const hadFocus = this.root?.activeElement === this.moreButton;
    this.list.setAttribute('aria-busy', 'true');
    this.moreButton.setAttribute('aria-disabled', 'true');
    if (first) this.state.replaceChildren(t.loading);
    let page: Awaited<ReturnType<Api['list']>>;
    try {
      page = await this.api.list(this.thread, this.cursor, PAGE_SIZE);
    } catch {
      if (generation !== this.generation) return;
      this.loading = false;
      this.list.removeAttribute('aria-busy');
      this.moreButton.removeAttribute('aria-disabled');
      const retry = h('button', { type: 'button', class: 'lnk' }, t.retry);
      retry.addEventListener('click', () => void this.load(generation));
      this.state.replaceChildren(`${t.loadFailed} `, retry);
      return;
    }
    if (generation !== this.generation) return;
    this.loading = false;
    this.list.removeAttribute('aria-busy');
    this.moreButton.removeAttribute('aria-disabled');
    this.state.replaceChildren();

    let firstNew: HTMLElement | null = null;
    for (const c of page.comments) {
      const li = this.show(c, {});
      firstNew ??= li;
    }
    this.cursor = page.nextCursor;
    if (!this.cursor) {
      // The parents of these replies are gone (unpublished); show them rather than lose them.
      const rest = [...this.orphans.values()].flat();
      this.orphans.clear();
      for (const c of rest) this.show(c, { orphan: true });
    }
    if (first) {
      for (const c of this.store.all()) {
        if (!this.items.has(c.id)) this.show(c, { pending: true });
      }
    }
    this.setTotal(page.total);
    this.moreWrap.hidden = !this.cursor;
    if (hadFocus && !this.cursor) firstNew?.focus();
    this.updateState();
  }

  /**
   * Renders and places a comment; a published copy replaces the writer's pending one. A reply whose
   * parent is not on the page yet waits (and returns null) until the parent's page arrives.
   */
  private show(c: PublicComment, opts: { pending?: boolean; fresh?: boolean; orphan?: boolean }): HTMLElement | null {
    const existing = this.items.get(c.id) ?? (opts.pending ? this.pendingItems.get(c.id) : undefined);
    if (existing) return existing;
    const parent = c.parentId ? this.items.get(c.parentId) : undefined;
    const replies = parent?.querySelector<HTMLElement>(':scope > .replies');
    if (c.parentId && !replies && !opts.pending && !opts.fresh && !opts.orphan) {
      const waiting = this.orphans.get(c.parentId) ?? [];
      waiting.push(c);
      this.orphans.set(c.parentId, waiting);
      return null;
    }
    if (!opts.pending) {
      this.pendingItems.get(c.id)?.remove();
      this.pendingItems.delete(c.id);
      this.store.remove(c.id);
    }
    const li = this.renderComment(c, !!opts.pending, !!opts.fresh);
    (opts.pending ? this.pendingItems : this.items).set(c.id, li);
    if (replies) {
      // Replies read as a conversation: oldest first under their parent.
      const after = [...replies.children].find((n) => (n.getAttribute('data-at') ?? '') > c.createdAt);
      replies.insertBefore(li, after ?? null);
    } else if (opts.fresh || opts.pending) {
      this.list.prepend(li);
    } else {
      this.list.append(li);
    }
    const waiting = this.orphans.get(c.id);
    this.orphans.delete(c.id);
    for (const r of waiting ?? []) this.show(r, {});
    return li;
  }

  private renderComment(c: PublicComment, pending: boolean, fresh: boolean): HTMLElement {
    const t = this.t;
    const li = h('li', { class: `c${pending ? ' pending' : ''}${fresh ? ' new' : ''}`, tabindex: '-1' });
    li.dataset.id = c.id;
    li.dataset.at = c.createdAt;
    const avatar = text('span', 'av', initial(c.authorName));
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--h', String(hue(c.authorName)));
    const time = text('time', '', relativeTime(c.createdAt, Date.now(), this.locale));
    time.dateTime = c.createdAt;
    time.title = fullTime(c.createdAt, this.locale);
    const meta = h(
      'div',
      { class: 'meta' },
      avatar,
      h('span', { class: 'who' }, text('span', 'name', c.authorName), time),
    );
    if (pending) meta.append(text('span', 'badge', t.pendingBadge));
    li.append(meta, text('p', 'body', c.body));
    if (pending) li.append(text('p', 'pnote', t.pendingNote));
    if (pending) return li;
    const actions = h('div', { class: 'acts' });
    if (!c.parentId) {
      const button = h('button', { type: 'button', class: 'lnk', 'aria-expanded': 'false' }, t.reply);
      button.setAttribute('aria-label', t.replyTo(c.authorName));
      button.addEventListener('click', () => this.openReply(c, li, button));
      actions.append(button);
    }
    const report = h('button', { type: 'button', class: 'lnk rep', 'aria-haspopup': 'dialog' }, t.report);
    report.setAttribute('aria-label', t.reportOf(c.authorName));
    report.addEventListener('click', () => this.openReport(c, li, report));
    actions.append(report);
    li.append(actions);
    if (!c.parentId) {
      const replies = h('ol', { class: 'replies' });
      replies.setAttribute('aria-label', t.repliesLabel(c.authorName));
      li.append(replies);
    }
    return li;
  }

  /** One modal dialog per widget, built on first use: the reasons as radio buttons and a note. */
  private buildReportDialog(): ReportDialog {
    const t = this.t;
    const id = `d${++uid}-r`;
    const heading = h('h3', { id: `${id}-h` }, t.reportTitle);
    const reasons = REPORT_REASONS.map((reason) => h('input', { type: 'radio', name: 'reason', value: reason }));
    const note = h('textarea', { id: `${id}-n`, name: 'note', rows: '2', maxlength: '500' });
    const msg = h('p', { id: `${id}-m`, class: 'msg', 'aria-live': 'assertive' });
    const send = h('button', { type: 'submit', class: 'pri' }, t.reportSend);
    const cancel = h('button', { type: 'button', class: 'sec' }, t.cancel);
    const form = h(
      'form',
      { novalidate: '' },
      heading,
      h('p', { class: 'note' }, t.reportHint),
      h(
        'fieldset',
        { 'aria-describedby': msg.id },
        h('legend', {}, t.reportReasonLegend),
        ...reasons.map((input, i) => h('label', { class: 'opt-r' }, input, ' ', t.reportReasons[REPORT_REASONS[i]!])),
      ),
      h('div', {}, h('label', { for: note.id }, t.reportNote, ' ', h('span', { class: 'opt' }, t.optional)), note),
      msg,
      h('div', { class: 'bar' }, cancel, send),
    );
    const dialog = h('dialog', { class: 'report', 'aria-labelledby': heading.id }, form);
    const parts: ReportDialog = { dialog, form, heading, reasons, note, msg, send, target: null, busy: false };
    cancel.addEventListener('click', () => dialog.close());
    // Escape and Cancel both close; focus goes back to the Report button that opened it.
    dialog.addEventListener('close', () => parts.target?.button.focus());
    for (const r of reasons) r.addEventListener('change', () => (msg.textContent = ''));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.sendReport(parts);
    });
    this.root?.querySelector('section')?.append(dialog);
    return parts;
  }

  private openReport(comment: PublicComment, li: HTMLElement, button: HTMLButtonElement): void {
    this.reportDialog ??= this.buildReportDialog();
    const d = this.reportDialog;
    if (d.busy) return;
    d.target = { comment, li, button };
    d.form.reset();
    d.msg.className = 'msg';
    d.msg.textContent = '';
    d.dialog.showModal();
    d.reasons[0]?.focus();
  }

  private async sendReport(d: ReportDialog): Promise<void> {
    const target = d.target;
    if (d.busy || !target) return;
    const t = this.t;
    const reason = d.reasons.find((r) => r.checked)?.value as ReportReason | undefined;
    if (!reason) {
      d.msg.className = 'msg err';
      d.msg.textContent = t.reportPick;
      d.reasons[0]?.focus();
      return;
    }
    const note = normalizeText(d.note.value);
    d.busy = true;
    d.send.setAttribute('aria-disabled', 'true');
    d.send.textContent = t.reportSending;
    const result = await this.api.report(target.comment.id, { reason, ...(note ? { note } : {}) });
    d.busy = false;
    d.send.removeAttribute('aria-disabled');
    d.send.textContent = t.reportSend;
    if (result.kind === 'error') {
      d.msg.className = 'msg err';
      // Hidden or removed since the page loaded: say so rather than a bare "not found".
      d.msg.textContent = result.code === 'NOT_FOUND' ? t.reportGone : this.errorText(result);
      return;
    }
    d.dialog.close();
    // The thanks stay under the comment, where the reader's focus returns.
    let done = target.li.querySelector<HTMLElement>(':scope > .rmsg');
    if (!done) {
      done = h('p', { class: 'msg ok rmsg', role: 'status' });
      target.li.insertBefore(done, target.li.querySelector(':scope > .replies'));
    }
    done.textContent = result.message || t.reportDone;
  }

  private openReply(parent: PublicComment, li: HTMLElement, button: HTMLButtonElement): void {
    if (this.reply?.li === li) {
      this.reply.parts.body.focus();
      return;
    }
    this.closeReply(false);
    const parts = this.buildForm(parent);
    const wrap = h('div', { class: 'reply' }, parts.form);
    li.insertBefore(wrap, li.querySelector(':scope > .replies'));
    button.setAttribute('aria-expanded', 'true');
    this.reply = { li, wrap, button, parts };
    parts.body.focus();
  }

  private closeReply(restoreFocus: boolean): void {
    const open = this.reply;
    if (!open) return;
    this.reply = null;
    this.forms.delete(open.parts);
    open.wrap.remove();
    open.button.setAttribute('aria-expanded', 'false');
    if (restoreFocus) open.button.focus();
  }

  private setTotal(n: number): void {
    this.total = n;
    this.totalEl.textContent = n > 0 ? this.t.total(n) : '';
  }

  private updateState(): void {
    if (!this.loading && this.list.childElementCount === 0 && !this.cursor) {
      this.state.replaceChildren(this.t.empty);
    } else if (!this.loading && this.state.textContent === this.t.empty) {
      this.state.replaceChildren();
    }
    this.state.hidden = this.state.childNodes.length === 0;
  }

  private refreshTimes(): void {
    const now = Date.now();
    for (const el of this.root?.querySelectorAll('time') ?? []) {
      el.textContent = relativeTime(el.dateTime, now, this.locale);
    }
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, DuyetComments);

declare global {
  interface HTMLElementTagNameMap {
    'duyet-comments': DuyetComments;
  }
}
