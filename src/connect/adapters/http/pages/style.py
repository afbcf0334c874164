# ruff: noqa: E501  (HTML and CSS text reads better unwrapped)
"""The inline CSS of the docs page (no external fonts or assets)."""

from __future__ import annotations

from typing import Final

DOCS_CSS: Final = """
:root{--fg:#1d2430;--muted:#5b6576;--line:#e2e6ec;--bg:#fff;--soft:#f5f7fa;--accent:#b7410e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg);display:grid;grid-template-columns:240px minmax(0,1fr)}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:20px 16px;background:var(--soft);
border-right:1px solid var(--line)}
nav ul{list-style:none;margin:0;padding:0}nav li a{display:block;padding:3px 6px;border-radius:4px;
color:var(--fg);text-decoration:none}nav li a:hover{background:var(--line)}
.brand{font-weight:700;font-size:17px;margin:0 0 12px}.brand small{color:var(--muted);font-weight:400}
main{padding:24px 40px 80px;max-width:1000px}
h1{margin-top:0}h2{margin-top:2.2em;padding-top:.6em;border-top:1px solid var(--line)}
h3{font-size:16px;margin:1.2em 0 .4em}h4{margin:1em 0 .3em;font-size:14px;color:var(--muted)}
a{color:var(--accent)}.lead{color:var(--muted);font-size:16px}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);
padding:1px 4px;border-radius:3px}
pre{background:#1d2430;color:#e8edf3;padding:12px 14px;border-radius:6px;overflow:auto}
pre code{background:none;color:inherit;padding:0}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:14px}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
.op{border:1px solid var(--line);border-radius:8px;padding:4px 16px 10px;margin:14px 0}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;
font:700 12px/20px ui-monospace,monospace;padding:0 6px;background:#555}
.method.get{background:#1f6feb}.method.post{background:#1a7f37}.method.patch{background:#9a6700}
.method.delete{background:#cf222e}
.scope{font-size:12px;border:1px solid var(--line);border-radius:10px;padding:1px 8px;
color:var(--muted);font-weight:400;margin-left:6px}.scope.public{color:#1a7f37}
.status{display:inline-block;font:700 12px/18px ui-monospace,monospace;border-radius:4px;
padding:0 5px;background:var(--soft)}.status.s2{color:#1a7f37}.status.s3{color:#555}
.status.s4{color:#9a6700}.status.s5{color:#cf222e}
.responses{padding-left:18px}.problem{scroll-margin-top:10px;padding:2px 10px;margin:0 -10px}
nav li.group{margin:10px 0 2px;padding:0 6px;font-size:12px;text-transform:uppercase;color:var(--muted)}
.problem:target{background:#fff8e6;outline:2px solid #f0c36d;border-radius:6px}
@media (max-width:800px){body{display:block}nav{position:static;height:auto}main{padding:16px}}
"""
