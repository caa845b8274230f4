/** The console's stylesheet: system fonts, a calm palette, visible focus, readable at 200% zoom. */
export const ADMIN_CSS = `
:root {
	--bg: #f6f7f9; --panel: #fff; --text: #1c2330; --muted: #5b6475; --line: #e2e5eb;
	--brand: #2f5bea; --brand-dark: #1f43b8; --danger: #c0352b; --ok: #1d7a46; --warn: #8a5a00;
	--warn-bg: #fff6e0; --err-bg: #fdeceb; --ok-bg: #e8f6ee; --info-bg: #eaf0fe;
	--radius: 8px; --focus: 0 0 0 3px rgba(47, 91, 234, .45);
	font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
	font-size: 15px; line-height: 1.5; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--brand-dark); }
:focus-visible { outline: 2px solid var(--brand); outline-offset: 2px; box-shadow: var(--focus); }
.skip { position: absolute; left: -9999px; top: 0; background: var(--panel); padding: 8px 12px; z-index: 10; }
.skip:focus { left: 8px; top: 8px; }
.topbar { display: flex; align-items: center; gap: 16px; padding: 10px 24px; background: #111827; color: #f3f4f6; }
.topbar a { color: #f3f4f6; }
.brand { font-weight: 650; letter-spacing: .2px; text-decoration: none; margin-right: auto; display: flex; align-items: center; gap: 8px; }
.brand-mark { display: inline-grid; place-items: center; width: 26px; height: 26px; border-radius: 7px; background: var(--brand); color: #fff; font-size: 13px; }
.topbar form { display: flex; align-items: center; gap: 8px; margin: 0; }
.topbar label { font-size: 13px; color: #cbd2dc; }
.topbar select { background: #1f2937; color: #f3f4f6; border-color: #374151; }
.user { font-size: 13px; color: #cbd2dc; }
.user a { color: inherit; text-decoration: underline dotted; }
.shell { display: grid; grid-template-columns: 220px minmax(0, 1fr); min-height: calc(100vh - 52px); }
.sidenav { background: var(--panel); border-right: 1px solid var(--line); padding: 20px 12px; }
.sidenav h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 16px 10px 6px; }
.sidenav h2:first-child { margin-top: 0; }
.sidenav ul { list-style: none; margin: 0; padding: 0; }
.sidenav a { display: block; padding: 7px 10px; border-radius: 6px; text-decoration: none; color: var(--text); }
.sidenav a:hover { background: var(--bg); }
.sidenav a[aria-current="page"] { background: var(--info-bg); color: var(--brand-dark); font-weight: 600; }
main { padding: 28px 36px 48px; max-width: 1040px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 20px; }
h2 { font-size: 17px; margin: 0 0 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 20px 24px; margin-bottom: 20px; box-shadow: 0 1px 2px rgba(16, 24, 40, .04); }
.field { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 6px 20px; padding: 14px 0; border-top: 1px solid var(--line); }
.field:first-of-type { border-top: 0; }
.field > .label { font-weight: 600; padding-top: 7px; }
.field .hint { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
.field .error { color: var(--danger); font-size: 13px; font-weight: 600; margin: 6px 0 0; }
.field.invalid input, .field.invalid select { border-color: var(--danger); background: #fffafa; }
fieldset { border: 0; padding: 0; margin: 0; min-width: 0; }
legend { padding: 0; }
input[type=text], input[type=email], input[type=password], input[type=search], select, textarea {
	font: inherit; color: inherit; padding: 7px 10px; border: 1px solid #c9ced8; border-radius: 6px; background: #fff; width: 100%; max-width: 460px;
}
input:disabled, select:disabled, textarea:disabled { background: #f1f2f5; color: var(--muted); }
.choices { display: flex; flex-wrap: wrap; gap: 6px 18px; padding-top: 6px; }
.choices label { display: inline-flex; align-items: center; gap: 6px; font-weight: 400; }
.inline { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.btn { font: inherit; font-weight: 600; display: inline-flex; align-items: center; gap: 6px; padding: 7px 14px; border-radius: 6px; border: 1px solid #c9ced8; background: #fff; color: var(--text); cursor: pointer; text-decoration: none; }
.btn:hover { background: #f3f4f7; }
.btn.primary { background: var(--brand); border-color: var(--brand); color: #fff; }
.btn.primary:hover { background: var(--brand-dark); }
.btn.danger { color: var(--danger); border-color: #e8b4b0; }
.btn.small { padding: 3px 10px; font-size: 13px; }
.btn:disabled, .btn[aria-disabled="true"] { opacity: .55; cursor: not-allowed; }
.actions { display: flex; gap: 10px; align-items: center; margin-top: 16px; }
.notice { border-radius: var(--radius); padding: 12px 16px; margin-bottom: 16px; border: 1px solid transparent; }
.notice.warn { background: var(--warn-bg); border-color: #f1d48a; color: #5c3d00; }
.notice.error { background: var(--err-bg); border-color: #f0b8b3; color: #7d1d16; }
.notice.ok { background: var(--ok-bg); border-color: #a9dcbd; color: #0f4d2b; }
.notice.info { background: var(--info-bg); border-color: #bccbf7; color: #1c347f; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #eef0f4; color: var(--muted); }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.off { background: var(--err-bg); color: var(--danger); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 9px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; }
tbody tr:hover { background: #fafbfc; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.copyable { display: flex; gap: 8px; align-items: center; max-width: 640px; }
.copyable code { flex: 1; padding: 7px 10px; background: #f3f4f7; border: 1px solid var(--line); border-radius: 6px; overflow-wrap: anywhere; }
dl.props { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 8px 16px; margin: 0; }
dl.props dt { color: var(--muted); }
dl.props dd { margin: 0; overflow-wrap: anywhere; }
dl.props + form { margin-top: 16px; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 14px; color: var(--muted); }
.login { max-width: 400px; margin: 10vh auto; }
.login .field { grid-template-columns: 1fr; border: 0; padding: 8px 0; }
.login .field > .label { padding-top: 0; }
.login input { max-width: none; }
.muted { color: var(--muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
h3 { font-size: 14px; margin: 18px 0 8px; }
td form.inline { display: inline-flex; flex-wrap: nowrap; vertical-align: middle; }
td input[type=text] { width: 240px; }
td { vertical-align: middle; }
.comment { white-space: pre-wrap; overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 0; }
.stat { border: 1px solid var(--line); border-radius: var(--radius); padding: 10px 14px; }
.stat dt { font-size: 12px; color: var(--muted); }
.stat dd { margin: 0; }
.stat dd:nth-of-type(1) { font-size: 22px; font-weight: 600; }
.stat dd.muted { font-size: 12px; }
code.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
.period { margin-bottom: 16px; }
.period select { width: auto; }
.card > .hint { font-size: 13px; margin: 10px 0 0; }
.overview { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 0 20px; align-items: start; }
.chart { margin: 0; }
.chart > svg { display: block; width: 100%; height: auto; max-width: 560px; overflow: visible; }
.chart text { font-size: 11px; fill: var(--text); }
.chart text.tick { font-size: 10px; fill: var(--muted); }
.chart text.value { font-weight: 600; }
.chart .axis { stroke: #c9ced8; }
.chart .track { fill: #eef0f4; }
.bar-solid { fill: var(--brand); }
.bar-hatch { stroke: #7a4a00; stroke-width: .8; }
.bar-dots { stroke: #9b1c12; stroke-width: .8; }
.pat-bg { fill: #fde7b0; }
.pat-ink { fill: #7a4a00; }
.pat-bg-2 { fill: #fbe0dc; }
.pat-ink-2 { fill: #9b1c12; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0 0; font-size: 13px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.chart details, .card > details { margin-top: 6px; font-size: 13px; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.numbers th, table.numbers td { padding: 4px 8px; }
table.numbers tbody th { text-transform: none; letter-spacing: 0; font-size: 13px; color: var(--text); font-weight: 400; }
.filters { display: flex; flex-wrap: wrap; align-items: end; gap: 10px 16px; }
.filters .filter { display: flex; flex-direction: column; gap: 4px; }
.filters .filter label { font-size: 13px; font-weight: 600; }
.filters .check { display: inline-flex; align-items: center; gap: 6px; font-size: 14px; padding-bottom: 8px; }
.filters select, .filters input[type=search] { width: auto; min-width: 160px; }
.filters .actions { margin-top: 0; padding-bottom: 2px; }
@media (max-width: 800px) {
	/* A table wider than a phone scrolls inside its card instead of widening the page. */
	.card { overflow-x: auto; padding: 16px; }
	.topbar { flex-wrap: wrap; gap: 8px 12px; padding: 10px 16px; }
	.topbar .user { overflow-wrap: anywhere; }
	.shell { grid-template-columns: minmax(0, 1fr); }
	.sidenav { border-right: 0; border-bottom: 1px solid var(--line); }
	.field, dl.props { grid-template-columns: 1fr; }
	main { padding: 20px; }
}
`;
