/**
 * The widget's only stylesheet. `:host { all: initial }` stops the page's inherited fonts, colours
 * and line heights at the shadow boundary; sites can still set `--duyet-accent` and `--duyet-font`,
 * because custom properties are meant to cross it. Layout follows the widget's own width
 * (container queries), not the viewport: a sidebar on a desktop is laid out like a phone.
 */
export const CSS = `
:host{all:initial;display:block;container-type:inline-size;contain:layout style;
font:16px/1.6 var(--duyet-font,system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif);
color:#1f1f1f;text-align:left;-webkit-text-size-adjust:100%;
--a:var(--duyet-accent,#a3171c);--m:#666;--l:#e6e2da;--err:#b42318}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
.head{display:flex;align-items:baseline;justify-content:space-between;gap:.75rem;border-top:3px solid var(--a);padding-top:.55rem;margin:0 0 .9rem}
h2{margin:0;font-size:1.0625rem;font-weight:800;letter-spacing:.06em;color:var(--a)}
.total{font-size:.875rem;color:var(--m)}
form{display:grid;gap:.7rem;margin:0 0 1.5rem}
label{display:block;font-size:.875rem;font-weight:600;color:#333;margin:0 0 .3rem}
.opt{font-weight:400;color:var(--m)}
textarea,input{display:block;width:100%;margin:0;font:inherit;color:inherit;background:#fff;border:1px solid #c8c3b9;border-radius:6px;padding:.6rem .75rem;min-height:44px}
textarea{min-height:6.5em;resize:vertical}
textarea:focus,input:focus{outline:2px solid var(--a);outline-offset:0;border-color:var(--a)}
[aria-invalid=true]{border-color:var(--err)}
.counter{margin:.3rem 0 0;font-size:.8125rem;color:var(--m);text-align:right}
.counter.over{color:var(--err);font-weight:600}
.fields{display:grid;gap:.7rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.msg{margin:0;padding:.55rem .8rem;border-left:3px solid;font-size:.9375rem;border-radius:0 4px 4px 0}
.msg:empty{display:none}
.msg.err{color:var(--err);background:#fef3f2}
.msg.ok{color:#1d5c35;background:#eef8f1}
.msg.wait{color:#7a4a06;background:#fff8e6}
.note{margin:0;font-size:.8125rem;color:var(--m)}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
button{font:inherit;cursor:pointer;border-radius:6px;min-height:44px;margin:0}
button:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.pri{flex:1 1 100%;border:0;background:var(--a);color:#fff;font-weight:700;padding:.6rem 1.25rem}
.pri:hover{filter:brightness(1.1)}
.pri[aria-disabled=true]{opacity:.65;cursor:progress}
.sec{background:#fff;color:#333;border:1px solid #c8c3b9;padding:.55rem 1.1rem}
.lnk{background:none;border:0;min-height:32px;padding:.2rem 0;color:var(--a);font-size:.875rem;font-weight:600}
.lnk:hover{text-decoration:underline}
ol{list-style:none;margin:0;padding:0}
.c{border-top:1px solid var(--l);padding:.95rem 0 .8rem}
.c:focus{outline:2px solid var(--a);outline-offset:2px}
.meta{display:flex;align-items:center;gap:.55rem;flex-wrap:wrap;line-height:1.3}
.av{flex:none;display:inline-grid;place-items:center;width:2.1rem;height:2.1rem;border-radius:50%;background:hsl(var(--h,10) 38% 40%);color:#fff;font-weight:700;font-size:.95rem}
.who{display:flex;flex-direction:column}
.name{font-weight:700;overflow-wrap:anywhere}
time{font-size:.8125rem;color:var(--m)}
.body{margin:.45rem 0 .15rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:1rem}
.replies{margin:.4rem 0 0 1.05rem;padding-left:.9rem;border-left:2px solid var(--l)}
.replies .c{border-top:0;padding:.55rem 0 .2rem}
.replies .av{width:1.75rem;height:1.75rem;font-size:.8rem}
.pending{background:#fffaf0;border-left:3px solid #d08a10;padding-left:.75rem;padding-right:.5rem}
.badge{font-size:.75rem;font-weight:700;color:#7a4a06;background:#fde9b8;border-radius:99px;padding:.05rem .55rem}
.pnote{margin:.2rem 0 0;font-size:.8125rem;color:#7a4a06}
.reply form{margin:.6rem 0 .4rem}
.acts{display:flex;gap:1rem;align-items:center}
.rep{color:var(--m);font-weight:500}
.rmsg{margin:.3rem 0 .2rem;font-size:.875rem}
dialog.report{border:0;border-radius:10px;padding:1.1rem 1.2rem;max-width:min(28rem,calc(100vw - 2rem));width:100%;color:inherit;font:inherit;box-shadow:0 12px 40px rgba(0,0,0,.3)}
dialog.report::backdrop{background:rgba(20,20,20,.45)}
dialog.report h3{margin:0;font-size:1.0625rem}
dialog.report form{margin:0;gap:.8rem}
fieldset{border:0;margin:0;padding:0;display:grid;gap:.2rem}
legend{font-size:.875rem;font-weight:600;color:#333;margin:0 0 .3rem;padding:0}
.opt-r{display:flex;align-items:center;gap:.5rem;font-weight:400;min-height:36px;margin:0;cursor:pointer}
.opt-r input{width:1.1rem;height:1.1rem;min-height:0;margin:0;accent-color:var(--a)}
dialog.report textarea{min-height:4em}
dialog.report .bar{justify-content:flex-end}
dialog.report .pri{flex:0 0 auto}
.state{margin:0;padding:1.4rem 0;border-top:1px solid var(--l);text-align:center;color:var(--m)}
.more{margin:1rem 0 0;text-align:center}
.more .sec{min-width:12rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@container (min-width:34rem){
.fields{grid-template-columns:1fr 1fr}
.pri{flex:0 0 auto}
.bar{justify-content:flex-end}
.replies{margin-left:2.9rem}
}
@media (prefers-reduced-motion:no-preference){.c.new{animation:in .6s ease-out}}
@keyframes in{from{background:#fff4d6}to{background:transparent}}
`;
