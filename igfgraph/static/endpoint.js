'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  let questions = [];

  function setStatus(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function cell(term) {
    if (!term) return '';
    if (term.type === 'literal' && term['xml:lang']) return term.value + ' @' + term['xml:lang'];
    return term.value;
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
      for (const v of vars) row.insertCell().textContent = cell(b[v]);
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
      label.appendChild(input);
      box.appendChild(label);
    }
  }

  async function loadQuestion() {
    const name = $('question').value;
    if (!name) return;
    const response = await fetch('/queries/' + encodeURIComponent(name) + '.rq?' + paramValues());
    const text = await response.text();
    if (!response.ok) { setStatus(response.status + ': ' + text, true); return; }
    $('query').value = text;
    setStatus('loaded ' + name + ': press Run', false);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('form').addEventListener('submit', run);
    $('question').addEventListener('change', chooseQuestion);
    $('load').addEventListener('click', loadQuestion);
    try { questions = await (await fetch('/queries')).json(); } catch (err) { questions = []; }
    window.igfgraphReady = true;
    document.body.dataset.ready = 'true';
  });
})();
