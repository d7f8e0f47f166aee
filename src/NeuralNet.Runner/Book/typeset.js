// The book's typesetter, run by node from artifacts/book-npm (where npm installed katex and highlight.js):
//   node typeset.js <in.json> <out.json>
// in:  {"items": [{"math": "Z = W A", "display": false} | {"code": "var x = 1;", "lang": "csharp"}, ...]}
// out: {"items": [{"html": "...", "error": "..." (only when KaTeX refused the formula)}, ...]} in the same order.
// Formulas become KaTeX's HTML (and MathML for screen readers); code becomes highlight.js's spans.
"use strict";
const fs = require("fs");
const katex = require("katex");
const hljs = require("highlight.js");

const [input, output] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(input, "utf8")).items;
const escape = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const results = items.map(item => {
  if (typeof item.math === "string") {
    const options = { displayMode: !!item.display, output: "htmlAndMathml", strict: "ignore" };
    try {
      return { html: katex.renderToString(item.math, { ...options, throwOnError: true }) };
    } catch (e) {
      // The page still shows the formula (KaTeX's red error node); the book step reports it and fails.
      return { html: katex.renderToString(item.math, { ...options, throwOnError: false }), error: String(e.message || e) };
    }
  }
  const lang = item.lang && hljs.getLanguage(item.lang) ? item.lang : null;
  return { html: lang ? hljs.highlight(item.code, { language: lang, ignoreIllegals: true }).value : escape(item.code) };
});
fs.writeFileSync(output, JSON.stringify({ items: results, katex: katex.version, highlightjs: require("highlight.js/package.json").version }));
