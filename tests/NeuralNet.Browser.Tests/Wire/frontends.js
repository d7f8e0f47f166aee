// The front ends of a notebook, fed the messages a real kernel sent (captured with jupyter_client by capture.py),
// in a browser. Bundled by esbuild (WireTests) into one script that sets window.NNWire; nothing is fetched.
//
// - JupyterLab 4 / Notebook 7: JupyterLab's own output area and MIME registry from npm (@jupyterlab/outputarea,
//   @jupyterlab/rendermime 4.6.6), so the choice of MIME type (RenderMimeRegistry.preferredMimeType: the
//   lowest rank among the bundle's types, only "safe" factories unless the output is trusted), the handling of
//   display_data / update_display_data (OutputArea._onIOPub: an update replaces the outputs with its display_id;
//   OutputArea._setOutput reuses the renderer when the preferred MIME type is unchanged) and the HTML renderer
//   (scripts run only in trusted outputs) are JupyterLab's code, not a copy of it. A live session's outputs are
//   trusted; a saved notebook's are not until it is trusted.
// - With `pip install plotly`: jupyterlab-plotly 5.24.1's renderer factory (lib/plotly-renderer.js, safe, rank 0
//   in its extension list), added to the registry as JupyterLab adds a MIME extension
//   (@jupyterlab/application src/mimerenderers.ts, createRendermimePlugin: addFactory(rendererFactory, rank)).
//   The standard factories' ranks: text/html 50, markdown 60, latex 70, svg 80 (unsafe), images 90,
//   javascript 110 (unsafe), text/plain 120 (@jupyterlab/rendermime src/factories.ts): plotly's 0 wins. Its
//   renderModel returns at once when it has drawn a graph, so a reused renderer keeps its first figure: fed the
//   plotly form as an object, it draws a live chart's first version and none of its updates.
// - VS Code (Jupyter extension or Polyglot Notebooks), whose window cannot run here: its choice of MIME type and
//   its built-in HTML renderer are re-written below from their source (cited there); the plotly type's renderer
//   is the real @nteract/transform-plotly, which the Jupyter Notebook Renderers extension (microsoft/
//   vscode-notebook-renderers, src/client/transforms.tsx) renders with React 16 and plotly.js 3, its data being
//   the output item's text (or JSON). An update is rendered again into the output's element (React updates
//   PlotlyTransform in place; the HTML renderer empties the element first).
// - HTML page: the saved outputs' text/html, one after the other in a page, as an nbconvert export shows them.
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import plotlyExtensions from 'jupyterlab-plotly/lib/plotly-renderer.js';
import { PlotlyTransform } from '@nteract/transform-plotly';
import * as React from 'react';
import * as ReactDOM from 'react-dom';

const PLOTLY = 'application/vnd.plotly.v1+json';
const VERSION_TIMEOUT_MS = 5000;

// ---- what a chart is and what it shows ---------------------------------------------------------------------

/** The figure a bundle carries: its plotly form (object or JSON string), else the one in its HTML's script. */
function figureOf(bundle) {
  if (!bundle) return null;
  const plotly = bundle[PLOTLY];
  if (plotly !== undefined) return typeof plotly === 'string' ? JSON.parse(plotly) : plotly;
  const html = joined(bundle['text/html']);
  const match = /var figure = (\{.*\});\n/.exec(html);
  return match ? JSON.parse(match[1]) : null;
}

function joined(value) {
  return Array.isArray(value) ? value.join('') : value || '';
}

function points(data) {
  let n = 0;
  for (const trace of data || []) {
    for (const key of ['x', 'y', 'z']) {
      const v = trace[key];
      if (v && typeof v.length === 'number' && typeof v !== 'string') {
        for (const row of v) n += row && typeof row === 'object' && typeof row.length === 'number' ? row.length : 1;
      }
    }
  }
  return n;
}

function titleOf(layout) {
  const title = layout && layout.title;
  return (title && (typeof title === 'string' ? title : title.text)) || '';
}

/** What a figure should show: visible traces, data points, title. */
function expected(figure) {
  return {
    traces: (figure.data || []).filter(t => t.visible !== false).length,
    points: points(figure.data),
    title: titleOf(figure.layout)
  };
}

/** What a drawn plot shows (plotly's graph div: its SVG, the traces plotly drew, the data and layout it was given). */
function shown(gd) {
  if (!gd || !gd.querySelector('svg.main-svg') || !gd._fullData) return null;
  return {
    traces: gd._fullData.filter(t => t.visible !== false).length,
    points: points(gd.data),
    title: titleOf(gd.layout)
  };
}

function same(a, b) {
  return !!a && !!b && a.traces === b.traces && a.points === b.points && a.title === b.title;
}

/** The plotly graph divs inside an element (the element itself included). */
function plotsIn(element) {
  if (!element) return [];
  const found = Array.from(element.querySelectorAll('.js-plotly-plot'));
  if (element.classList && element.classList.contains('js-plotly-plot')) found.unshift(element);
  return found;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Waits until the element shows the figure; returns what it shows then (or at the timeout). */
async function waitForFigure(getElement, figure, timeoutMs) {
  const want = expected(figure);
  const until = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    const plots = plotsIn(getElement());
    last = plots.length === 1 ? shown(plots[0]) : plots.length > 1 ? { many: plots.length } : null;
    if (same(last, want)) return { drawn: true, shown: last, want };
    if (Date.now() > until) return { drawn: false, shown: last, want };
    await sleep(50);
  }
}

/** One lane's report: per chart output, what it should show and what it shows; per version, whether it drew. */
function newReport(lane) {
  return { lane, charts: [], versions: 0, versionsDrawn: 0, missed: [], errors: [] };
}

async function finish(report, outputs, timeoutMs = VERSION_TIMEOUT_MS) {
  // outputs: [{ bundle, element: () => Element, where }] for every output at the end.
  for (const output of outputs) {
    const figure = figureOf(output.bundle);
    if (!figure) continue;
    const result = await waitForFigure(output.element, figure, timeoutMs);
    report.charts.push({ where: output.where, want: result.want, shown: result.shown, drawn: result.drawn });
  }
  report.expectedTraces = report.charts.reduce((n, c) => n + c.want.traces, 0);
  report.drawnTraces = report.charts.reduce((n, c) => n + (c.drawn ? c.shown.traces : 0), 0);
  report.chartsDrawn = report.charts.filter(c => c.drawn).length;
  return report;
}

async function version(report, where, getElement, bundle) {
  const figure = figureOf(bundle);
  if (!figure) return;
  report.versions++;
  const result = await waitForFigure(getElement, figure, VERSION_TIMEOUT_MS);
  if (result.drawn) report.versionsDrawn++;
  else report.missed.push({ where, want: result.want, shown: result.shown });
}

// ---- JupyterLab 4 / Notebook 7 -----------------------------------------------------------------------------

function jupyterLabRegistry(withPlotlyExtension) {
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  if (withPlotlyExtension) {
    for (const item of plotlyExtensions) {
      if (item.rank !== undefined) rendermime.addFactory(item.rendererFactory, item.rank);
      else rendermime.addFactory(item.rendererFactory);
    }
  }
  return rendermime;
}

function outputArea(rendermime, trusted, host) {
  const area = new OutputArea({ model: new OutputAreaModel({ trusted }), rendermime });
  Widget.attach(area, host);
  return area;
}

/** The element that shows output i of an output area. */
function outputNode(area, i) {
  const widget = area.widgets[i];
  return widget ? widget.node : null;
}

/** A live session: each cell's messages go to its output area as a kernel future's IOPub messages. */
async function jupyterLabLive(cells, { extension }) {
  const report = newReport(`JupyterLab 4${extension ? ' + jupyterlab-plotly' : ''}, live`);
  const rendermime = jupyterLabRegistry(extension);
  const areas = [];
  for (const [c, cell] of cells.entries()) {
    const area = outputArea(rendermime, true, document.body);
    areas.push(area);
    let finished;
    const future = {
      done: new Promise(resolve => (finished = resolve)),
      onIOPub: null,
      onReply: null,
      onStdin: null,
      isDisposed: false,
      dispose() {
        this.isDisposed = true;
      }
    };
    area.future = future;
    const byDisplayId = new Map();
    for (const message of cell.messages) {
      const content = JSON.parse(JSON.stringify(message.content));
      try {
        future.onIOPub({ header: { msg_type: message.msg_type }, parent_header: {}, metadata: {}, content, channel: 'iopub' });
      } catch (e) {
        report.errors.push(`cell ${c} ${message.msg_type}: ${e}`);
      }
      const id = content.transient && content.transient.display_id;
      if (message.msg_type === 'display_data' || message.msg_type === 'execute_result') {
        const index = area.model.length - 1;
        if (id) byDisplayId.set(id, (byDisplayId.get(id) || []).concat([index]));
        await version(report, `cell ${c} output ${index}`, () => outputNode(area, index), content.data);
      } else if (message.msg_type === 'update_display_data') {
        for (const index of byDisplayId.get(id) || []) {
          await version(report, `cell ${c} output ${index} (update)`, () => outputNode(area, index), content.data);
        }
      }
    }
    finished({ content: { status: 'ok' } });
  }
  const outputs = [];
  areas.forEach((area, c) => {
    for (let i = 0; i < area.model.length; i++) {
      outputs.push({ bundle: area.model.get(i).data, element: () => outputNode(area, i), where: `cell ${c} output ${i}` });
    }
  });
  await finish(report, outputs);
  // What JupyterLab saves for these cells (OutputAreaModel.toJSON, written to the .ipynb by the server).
  report.saved = areas.map(area => area.model.toJSON());
  return report;
}

/** A saved notebook opened again: its outputs as the file holds them, trusted or not. */
async function jupyterLabSaved(saved, { extension, trusted, timeoutMs }) {
  const report = newReport(`JupyterLab 4${extension ? ' + jupyterlab-plotly' : ''}, saved${trusted ? ' and trusted' : ', not trusted'}`);
  const rendermime = jupyterLabRegistry(extension);
  const outputs = [];
  saved.forEach((cellOutputs, c) => {
    const area = outputArea(rendermime, trusted, document.body);
    try {
      area.model.fromJSON(JSON.parse(JSON.stringify(cellOutputs)));
    } catch (e) {
      report.errors.push(`cell ${c}: ${e}`);
    }
    for (let i = 0; i < area.model.length; i++) {
      outputs.push({ bundle: area.model.get(i).data, element: () => outputNode(area, i), where: `cell ${c} output ${i}` });
    }
  });
  await finish(report, outputs, timeoutMs);
  report.text = document.body.innerText;
  return report;
}

// ---- VS Code -----------------------------------------------------------------------------------------------

// The Jupyter extension orders an output's items (orderOfMimeTypes in vscode-jupyter, and in VS Code's own
// extensions/ipynb/src/deserializers.ts for a saved notebook: application/vnd.* first, text/html before
// text/plain, unknown types last); VS Code then sorts them by its display order (notebookCommon.ts
// NOTEBOOK_DISPLAY_ORDER, no user order; types not in it come first, in the extension's order, as the sort is
// stable) and shows the first that has a renderer: the built-in one (vscode.builtin-renderer) or the Jupyter
// Notebook Renderers extension's (application/vnd.plotly.v1+json among others).
const JUPYTER_EXTENSION_ORDER = ['application/vnd.*', 'application/vdom.*', 'application/geo+json', 'application/x-nteract-model-debug+json', 'text/html', 'application/javascript', 'image/gif', 'text/latex', 'text/markdown', 'image/png', 'image/svg+xml', 'image/jpeg', 'application/json', 'text/plain'];
const NOTEBOOK_DISPLAY_ORDER = ['application/json', 'application/javascript', 'text/html', 'image/svg+xml', 'text/latex', 'text/markdown', 'image/png', 'image/jpeg', 'text/plain'];
const VS_CODE_RENDERERS = new Set([PLOTLY, 'text/html', 'text/plain', 'image/png', 'image/jpeg', 'image/gif', 'image/svg+xml', 'application/javascript']);

function vscodePick(bundle) {
  const rank = mime => {
    const i = JUPYTER_EXTENSION_ORDER.findIndex(p => mime.startsWith(p.endsWith('.*') ? p.slice(0, -2) : p));
    return i === -1 ? 100 : i;
  };
  const items = Object.keys(bundle).sort((a, b) => rank(a) - rank(b));
  const sorted = items.sort((a, b) => NOTEBOOK_DISPLAY_ORDER.indexOf(a) - NOTEBOOK_DISPLAY_ORDER.indexOf(b));
  return sorted.find(mime => VS_CODE_RENDERERS.has(mime));
}

// VS Code's built-in HTML renderer (extensions/notebook-renderers/src/index.ts): innerHTML, then each script
// re-created (type, src, nonce, noModule, async kept) so that it runs.
function vscodeRenderHtml(container, html) {
  while (container.firstChild) container.firstChild.remove();
  const element = document.createElement('div');
  element.innerHTML = html;
  container.appendChild(element);
  for (const node of Array.from(element.getElementsByTagName('script'))) {
    const script = document.createElement('script');
    script.text = node.innerText;
    for (const key of ['type', 'src', 'nonce', 'noModule', 'async']) {
      const value = node[key] || (node.getAttribute && node.getAttribute(key));
      if (value) script.setAttribute(key, value);
    }
    element.appendChild(script).parentNode.removeChild(script);
  }
}

function vscodeRender(container, bundle) {
  const mime = vscodePick(bundle);
  const value = bundle[mime];
  if (mime === PLOTLY) {
    // The Jupyter extension hands the renderer the output item; its text is the JSON (a string on the wire is
    // that text, an object is JSON.stringify'd); transform-plotly parses a string, or takes an object.
    ReactDOM.render(React.createElement(PlotlyTransform, { data: value }), container);
  } else if (mime === 'text/html') {
    vscodeRenderHtml(container, joined(value));
  } else if (mime) {
    container.textContent = joined(typeof value === 'string' || Array.isArray(value) ? value : JSON.stringify(value));
  }
  return mime;
}

async function vscodeLive(cells) {
  const report = newReport('VS Code, live');
  report.picked = {};
  const outputs = [];
  for (const [c, cell] of cells.entries()) {
    const cellNode = document.createElement('div');
    document.body.appendChild(cellNode);
    const byDisplayId = new Map();
    for (const message of cell.messages) {
      const content = JSON.parse(JSON.stringify(message.content));
      const id = content.transient && content.transient.display_id;
      let targets = [];
      if (message.msg_type === 'display_data' || message.msg_type === 'execute_result') {
        const output = { bundle: content.data, node: document.createElement('div'), where: `cell ${c} output ${outputs.length}` };
        output.element = () => output.node;
        cellNode.appendChild(output.node);
        outputs.push(output);
        if (id) byDisplayId.set(id, (byDisplayId.get(id) || []).concat([output]));
        targets = [output];
      } else if (message.msg_type === 'update_display_data') {
        targets = byDisplayId.get(id) || [];
        for (const output of targets) output.bundle = content.data;
      }
      for (const output of targets) {
        try {
          const mime = vscodeRender(output.node, output.bundle);
          report.picked[mime] = (report.picked[mime] || 0) + 1;
        } catch (e) {
          report.errors.push(`${output.where}: ${e}`);
        }
        await version(report, output.where + (message.msg_type === 'update_display_data' ? ' (update)' : ''), output.element, output.bundle);
      }
    }
  }
  return finish(report, outputs);
}

async function vscodeSaved(saved) {
  const report = newReport('VS Code, saved');
  report.picked = {};
  const outputs = [];
  saved.forEach((cellOutputs, c) => {
    for (const output of cellOutputs) {
      if (!output.data) continue;
      const node = document.createElement('div');
      document.body.appendChild(node);
      try {
        const mime = vscodeRender(node, output.data);
        report.picked[mime] = (report.picked[mime] || 0) + 1;
      } catch (e) {
        report.errors.push(`cell ${c}: ${e}`);
      }
      outputs.push({ bundle: output.data, element: () => node, where: `cell ${c} output ${outputs.length}` });
    }
  });
  return finish(report, outputs);
}

// ---- A static HTML page (nbconvert) ------------------------------------------------------------------------

/** The saved outputs' HTML as one page's body, in order, as an nbconvert export lays it out. */
function htmlPage(saved) {
  const parts = [];
  saved.forEach(cellOutputs => {
    for (const output of cellOutputs) {
      if (output.data && output.data['text/html'] !== undefined) parts.push(`<div class="output_html">${joined(output.data['text/html'])}</div>`);
    }
  });
  return parts.join('\n');
}

/** Counts the charts of the page as it is (after htmlPage's HTML was loaded as a document). */
async function htmlPageReport(saved) {
  const report = newReport('HTML page');
  const nodes = Array.from(document.querySelectorAll('div.output_html'));
  const outputs = [];
  let k = 0;
  saved.forEach((cellOutputs, c) => {
    for (const output of cellOutputs) {
      if (!output.data || output.data['text/html'] === undefined) continue;
      const node = nodes[k++];
      outputs.push({ bundle: output.data, element: () => node, where: `cell ${c}` });
    }
  });
  return finish(report, outputs);
}

window.NNWire = { jupyterLabLive, jupyterLabSaved, vscodeLive, vscodeSaved, htmlPage, htmlPageReport, figureOf, expected };
