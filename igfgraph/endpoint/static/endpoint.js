'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let questions = [];
  // Whether the query box was typed in since a question's SPARQL was put there: until
  // it is, Run runs the chosen question with the parameters as they are filled in now.
  let edited = false;
  let loads = 0;  // the latest load wins, so a slow earlier answer cannot replace it

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  // A result cell shows the term's value; a language tag goes to the cell's lang
  // attribute (read by screen readers and shown as a tooltip), not after every name.
  function fillCell(td, term) {
    if (!term) return;
    td.textContent = term.value;
    if (term.type === 'literal' && term['xml:lang']) {
      td.lang = term['xml:lang'];
      td.title = 'language: ' + term['xml:lang'];
    } else if (term.type === 'literal' && term.datatype) {
      td.title = term.datatype;
    }
  }

  function showTable(doc) {
    const out = $('results');
    out.textContent = '';
    if ('boolean' in doc) { out.textContent = String(doc.boolean); return 1; }
    const vars = doc.head.vars || [];
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const v of vars) { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); }
    const body = table.createTBody();
    for (const b of doc.results.bindings) {
      const row = body.insertRow();
      for (const v of vars) fillCell(row.insertCell(), b[v]);
    }
    out.appendChild(table);
    return doc.results.bindings.length;
  }

  async function show(response, started) {
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) { $('results').textContent = ''; setStatus(response.status + ': ' + text, true); return; }
    const type = response.headers.get('Content-Type') || '';
    if (type.startsWith('application/sparql-results+json')) {
      const n = showTable(JSON.parse(text));
      setStatus(n + ' row(s) in ' + seconds + ' s', false);
    } else {
      const pre = document.createElement('pre');
      pre.textContent = text;
      $('results').textContent = '';
      $('results').appendChild(pre);
      setStatus('answered in ' + seconds + ' s (' + type.split(';')[0] + ')', false);
    }
  }

  async function run(event) {
    event.preventDefault();
    if ($('question').value && !edited) {
      // the chosen question, not edited since: run it with the parameters filled in now
      if (!(await loadQuestion())) return;
    }
    setStatus('running…', false);
    const body = new URLSearchParams({ query: $('query').value, format: $('format').value });
    const started = performance.now();
    try {
      await show(await fetch('/sparql', { method: 'POST', body }), started);
    } catch (err) { setStatus(String(err), true); }
  }

  function paramValues() {
    const params = new URLSearchParams();
    for (const input of $('params').querySelectorAll('input')) {
      if (input.value.trim() !== '') params.set(input.name, input.value.trim());
    }
    return params;
  }

  function chooseQuestion() {
    const q = questions.find((x) => x.name === $('question').value);
    const box = $('params');
    box.textContent = '';
    if (!q) return;
    for (const p of q.parameters) {
      const label = document.createElement('label');
      label.textContent = p.name + ' (' + p.type + (p.required ? '' : ', optional') + '): ' + p.description + ' ';
      const input = document.createElement('input');
      input.name = p.name;
      input.value = p.default || '';
      input.addEventListener('change', loadQuestion);
      label.appendChild(input);
      box.appendChild(label);
    }
    const missing = q.parameters.filter((p) => p.required && !p.default).map((p) => p.name);
    if (missing.length) {
      setStatus('fill in ' + missing.join(', ') + ', then press Run', false);
    } else {
      loadQuestion();  // the box shows what Run will run
    }
  }

  // Put the chosen question's SPARQL, with the parameters filled in, into the query box.
  // Resolves to false (and says why) when the server refuses the parameters.
  async function loadQuestion() {
    const name = $('question').value;
    if (!name) return false;
    const mine = ++loads;
    const response = await fetch('/queries/' + encodeURIComponent(name) + '.rq?' + paramValues());
    const text = await response.text();
    if (mine !== loads) return true;  // a later load is on its way; it fills the box
    if (!response.ok) { setStatus(response.status + ': ' + text, true); return false; }
    $('query').value = text;
    edited = false;
    setStatus('loaded ' + name + ': press Run', false);
    return true;
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('form').addEventListener('submit', run);
    $('question').addEventListener('change', chooseQuestion);
    $('load').addEventListener('click', loadQuestion);
    $('query').addEventListener('input', () => { edited = true; });
    try { questions = await (await fetch('/queries')).json(); } catch (err) { questions = []; }
    window.igfgraphReady = true;
    document.body.dataset.ready = 'true';
  });
})();
