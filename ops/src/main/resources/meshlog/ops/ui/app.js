// meshlog's read-only web UI: one page, routed by the URL's fragment, drawn from the /api/... JSON.
// Every string from the API is user input (commit messages, authors, YAML values, Envoy's errors): it reaches the
// page only as text nodes (el() below, textContent), never as markup, and hrefs are built from '#' and
// encodeURIComponent only. The server's Content-Security-Policy refuses inline script besides.
'use strict';

const PAGE_SIZE = 50;

/** An element with attributes and children; a child string becomes a text node. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) {
      e.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return e;
}

/** A link to another view of this page: '#' + a view name + encoded parameters. */
function link(view, params, ...children) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return el('a', {href: '#' + view + (s ? '?' + s : '')}, ...children);
}

function shortSha(sha) {
  return sha ? sha.substring(0, 10) : '';
}

function commitLink(sha) {
  return sha ? link('commit', {sha: sha}, el('span', {class: 'sha'}, shortSha(sha))) : el('span', {class: 'muted'}, '—');
}

function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').substring(0, 19) + 'Z' : '';
}

function badge(text) {
  return el('span', {class: 'badge ' + String(text).replace(/[^A-Za-z]/g, '')}, text);
}

/** GETs an API path; a refusal (400/404) becomes an Error carrying the server's one-line reason. */
async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  const res = await fetch(path + (s ? '?' + s : ''), {headers: {accept: 'application/json'}});
  if (!res.ok) {
    throw new Error((await res.text()).trim() || res.status + ' ' + res.statusText);
  }
  return res.json();
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))), el('tbody', {}, rows));
}

function fieldRows(fields) {
  return (fields || []).map(f => el('tr', {class: 'field'},
      el('td', {class: 'path'}, el('code', {}, f.path)), el('td', {class: 'op'}, f.op),
      el('td', {class: 'before'}, el('code', {}, f.before ?? '')),
      el('td', {class: 'after'}, el('code', {}, f.after ?? ''))));
}

function fieldTable(fields) {
  return table(['field', 'op', 'before', 'after'], fieldRows(fields));
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, String(v)));
  children.forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

/** Commit → ACK in one cluster as three bars, p50, p99 and the last proxy, scaled to the last. */
function reachChart(cluster, ms) {
  const width = 320;
  const bars = [['p50', ms.p50], ['p99', ms.p99], ['last', ms.max]];
  const scale = ms.max > 0 ? (width - 130) / ms.max : 0;
  return svg('svg', {class: 'reach-chart', width: width, height: bars.length * 20, role: 'img',
    'aria-label': cluster + ' commit to ACK'}, ...bars.map(([name, v], i) => svg('g', {class: 'bar'},
      svg('title', {}, name + ' ' + v + ' ms'),
      svg('text', {x: 0, y: i * 20 + 14}, name),
      svg('rect', {x: 40, y: i * 20 + 3, height: 14, width: Math.max(1, Math.round(v * scale))}),
      svg('text', {x: 46 + Math.max(1, Math.round(v * scale)), y: i * 20 + 14}, v + ' ms'))));
}

function resourceName(r) {
  return r ? r.kind + ' ' + (r.namespace ? r.namespace + '/' : '') + r.name : '';
}

// ---- views: each takes the fragment's parameters and returns the elements to show ----

async function commitsView(p) {
  const page = await api('/api/commits', {limit: PAGE_SIZE, before: p.before, outcome: p.outcome, q: p.q});
  const form = el('form', {id: 'commit-filter'},
      el('input', {type: 'text', name: 'q', placeholder: 'sha, author or message', value: p.q || ''}),
      el('select', {name: 'outcome'}, ['', 'applied', 'rejected'].map(o => {
        const opt = el('option', {value: o}, o || 'applied and rejected');
        opt.selected = (p.outcome || '') === o;
        return opt;
      })),
      el('button', {type: 'submit'}, 'Filter'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    go('commits', {q: form.elements.q.value, outcome: form.elements.outcome.value});
  });
  const rows = page.items.map(c => el('tr', {class: 'commit', 'data-sha': c.sha},
      el('td', {class: 'when'}, when(c.recorded)),
      el('td', {}, commitLink(c.sha)),
      el('td', {class: 'author'}, c.author),
      el('td', {},
          el('div', {class: 'subject'}, c.subject),
          c.rejection.map(r => el('div', {class: 'rejection'}, r)),
          c.errors > c.rejection.length ? el('div', {class: 'muted'}, '… ' + (c.errors - c.rejection.length)
              + ' more errors on the commit\'s page') : null),
      el('td', {class: 'outcome'}, badge(c.outcome)),
      el('td', {}, c.changes),
      el('td', {class: 'reach'}, c.clusters.map(r => el('div', {},
          r.cluster + ': ' + r.acks + ' ACK' + (r.nacks ? ', ' + r.nacks + ' NACK' : '')
              + (r.p50Ms !== null ? ', p50 ' + r.p50Ms + ' ms, last ' + r.maxMs + ' ms' : ''))))));
  return [el('h1', {}, 'Commits'), form,
    el('p', {class: 'muted'}, page.total + ' commits' + (p.q || p.outcome ? ' match' : '') + ', newest first'),
    table(['recorded', 'commit', 'author', 'message', 'outcome', 'objects', 'reached proxies'], rows),
    page.next ? link('commits', {before: page.next, outcome: p.outcome, q: p.q}, 'Older commits →') : null];
}

async function commitView(p) {
  const c = await api('/api/commits/' + encodeURIComponent(p.sha || ''));
  const before = await api('/api/commits', {limit: 1, before: c.offset, outcome: 'applied'});
  const previous = before.items[0];
  const parts = [el('h1', {}, 'Commit ', el('span', {class: 'sha'}, c.sha)),
    el('p', {}, badge(c.outcome), ' by ', el('span', {class: 'author'}, c.author), ' <', c.email, '>, authored ',
        when(c.time), ', recorded ', when(c.recorded), ' at log offset ', c.offset),
    el('pre', {class: 'message'}, c.message),
    el('p', {}, link('state', {at: c.sha}, 'State at this commit'),
        previous ? [' · ', link('diff', {from: previous.sha, to: c.sha}, 'Diff from the applied commit before it (',
            shortSha(previous.sha), ')')] : [])];
  if (c.errors.length) {
    parts.push(el('h2', {}, 'Why it was rejected'), c.errors.map(d => el('div', {class: 'rejection'},
        d.file + ':' + d.line + ':' + d.column + ': ' + d.severity.toLowerCase() + ' [' + d.code + '] '
            + (d.resource ? d.resource + ' ' : '') + (d.path ? d.path + ': ' : '') + d.message)));
  }
  (c.notes || []).forEach(n => parts.push(el('p', {class: 'muted'}, n)));
  if (c.changes.length) {
    parts.push(el('h2', {}, 'Objects changed'));
    c.changes.forEach(ch => parts.push(el('h3', {}, ch.op + ' ', resourceName(ch.resource), ' ',
        el('span', {class: 'muted'}, ch.file + (ch.line ? ':' + ch.line : ''))),
        ch.fields.length ? fieldTable(ch.fields) : null,
        ch.moreFields ? el('p', {class: 'muted'}, '… and ' + ch.moreFields + ' more fields') : null));
  }
  if (c.clusters.length) {
    parts.push(el('h2', {}, 'Reaching the proxies'), table(['cluster', 'ACKs', 'NACKs', 'commit → ACK'],
        c.clusters.map(a => el('tr', {},
            el('td', {}, link('proxies', {cluster: a.cluster}, a.cluster)), el('td', {}, a.acks),
            el('td', {}, a.nacks, a.nackErrors.map(n => el('div', {class: 'nack-error'},
                n.proxies + ' proxies of ' + n.scope + ': ' + n.error))),
            el('td', {}, a.commitToAckMs ? reachChart(a.cluster, a.commitToAckMs) : '—')))));
  }
  return parts;
}

async function proxiesView(p) {
  const clusters = await api('/api/clusters');
  const proxies = await api('/api/proxies', {cluster: p.cluster, namespace: p.namespace, state: p.state, q: p.q,
    after: p.after});
  const form = el('form', {id: 'proxy-filter'},
      el('input', {type: 'text', name: 'q', placeholder: 'proxy id contains', value: p.q || ''}),
      el('input', {type: 'text', name: 'namespace', placeholder: 'namespace', value: p.namespace || ''}),
      el('select', {name: 'state'}, ['', 'SYNCED', 'STALE', 'NACK'].map(o => {
        const opt = el('option', {value: o}, o || 'any state');
        opt.selected = (p.state || '') === o;
        return opt;
      })),
      el('button', {type: 'submit'}, 'Filter'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    go('proxies', {cluster: p.cluster, q: form.elements.q.value.trim(),
      namespace: form.elements.namespace.value.trim(), state: form.elements.state.value});
  });
  const parts = [el('h1', {}, 'Proxies'),
    el('p', {}, 'Cluster: ', link('proxies', {}, 'all'), clusters.map(c => [' · ',
        link('proxies', {cluster: c.name}, c.name)]))];
  clusters.filter(c => !p.cluster || c.name === p.cluster).forEach(c => parts.push(
      el('h2', {class: 'cluster'}, c.name),
      el('p', {class: 'muted'}, 'published ', c.publishedVersion || 'nothing yet',
          c.publishedCommit ? [' from commit ', commitLink(c.publishedCommit)] : [], ' ', when(c.publishedAt)),
      table(['distributor', 'address', 'ready', 'version', 'proxies'], c.distributors.map(d => el('tr', {},
          el('td', {}, d.name), el('td', {}, d.address),
          el('td', {}, d.ready ? 'ready' : 'not ready: ' + d.notReady), el('td', {class: 'sha'}, d.version || ''),
          el('td', {}, Object.entries(d.proxies || {}).map(([k, v]) => k + ' ' + v).join(', ')))))));
  const rows = proxies.items.map(r => el('tr', {class: 'proxy', 'data-proxy': r.proxyId},
      el('td', {class: 'id'}, el('code', {}, r.proxyId)), el('td', {}, r.cluster), el('td', {}, r.distributor),
      el('td', {class: 'state'}, badge(r.state)),
      el('td', {class: 'types'}, Object.entries(r.types).map(([t, s]) => el('div', {}, t + ' ' + s))),
      el('td', {class: 'acked'}, r.ackedCommit ? commitLink(r.ackedCommit)
          : el('span', {class: 'muted'}, r.version ? 'older config (version ' + r.version + ')' : 'none yet')),
      el('td', {class: 'nacked'}, r.nackedCommit ? commitLink(r.nackedCommit) : null,
          Object.entries(r.errors).map(([t, e]) => el('div', {class: 'nack-error'}, t + ': ' + e)))));
  parts.push(el('h2', {}, 'Connected proxies'), form,
      el('p', {class: 'muted', id: 'proxy-count'}, proxies.total + ' proxies' + (p.cluster ? ' in ' + p.cluster : '')
          + (p.q || p.namespace || p.state ? ' match' : '')),
      table(['proxy', 'cluster', 'distributor', 'state', 'per type', 'holds commit', 'NACKs commit'], rows),
      proxies.next ? link('proxies', {cluster: p.cluster, namespace: p.namespace, state: p.state, q: p.q,
        after: proxies.next}, 'More →')
          : null);
  return parts;
}

/** A form of named text inputs that navigates to {@code view} with their values. */
function pointForm(view, names, p) {
  const form = el('form', {id: view + '-form'}, names.map(n => el('label', {}, n + ' ',
      el('input', {type: 'text', name: n, value: p[n] || '', placeholder: 'commit sha, log offset or time'}))),
      el('button', {type: 'submit'}, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const values = {};
    names.forEach(n => values[n] = form.elements[n].value.trim());
    go(view, values);
  });
  return form;
}

async function stateView(p) {
  const parts = [el('h1', {}, 'State at a point of the log'), pointForm('state', ['at'], p)];
  if (!p.at) {
    return parts;
  }
  const s = await api('/api/state', {at: p.at, start: p.start, limit: PAGE_SIZE});
  parts.push(el('p', {}, 'At ', el('code', {}, s.at), ' (log offset ', s.offset, '): serving commit ',
      commitLink(s.commit), s.pinned ? ' (pinned)' : '', s.lastApplied && s.lastApplied !== s.commit
          ? [', last applied ', commitLink(s.lastApplied)] : []),
      (s.notes || []).map(n => el('p', {class: 'muted'}, n)),
      el('p', {class: 'muted'}, s.objects.total + ' objects'),
      s.objects.items.map(o => el('div', {class: 'object'},
          el('h3', {}, o.kind + ' ' + (o.metadata && o.metadata.namespace ? o.metadata.namespace + '/' : '')
              + (o.metadata ? o.metadata.name : '')),
          el('pre', {}, JSON.stringify(o, null, 2)))),
      s.objects.next ? link('state', {at: p.at, start: s.objects.next}, 'More objects →') : null);
  return parts;
}

async function diffView(p) {
  const parts = [el('h1', {}, 'Diff between two points'), pointForm('diff', ['from', 'to'], p)];
  if (!p.from || !p.to) {
    return parts;
  }
  const d = await api('/api/diff', {from: p.from, to: p.to, start: p.start, limit: PAGE_SIZE});
  parts.push(el('p', {}, 'From ', el('code', {}, d.from), ' to ', el('code', {}, d.to), ': ',
      d.entries.total ? d.entries.total + ' objects differ' : 'no differences'));
  d.entries.items.forEach(e => parts.push(el('div', {class: 'entry'},
      el('h3', {}, e.op + ' ', el('code', {class: 'what'}, e.what)), e.fields.length ? fieldTable(e.fields) : null)));
  if (d.entries.next) {
    parts.push(link('diff', {from: p.from, to: p.to, start: d.entries.next}, 'More →'));
  }
  return parts;
}

const VIEWS = {commits: commitsView, commit: commitView, proxies: proxiesView, state: stateView, diff: diffView};

function go(view, params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => v ? q.set(k, v) : null);
  const s = q.toString();
  location.hash = view + (s ? '?' + s : '');
}

async function render() {
  const hash = location.hash.replace(/^#/, '');
  const [name, query] = hash.split('?', 2);
  const view = VIEWS[name] ? name : 'commits';
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('current',
      a.getAttribute('href') === '#' + (view === 'commit' ? 'commits' : view)));
  const main = document.getElementById('page');
  main.setAttribute('aria-busy', 'true');
  let content;
  try {
    content = await VIEWS[view](params);
  } catch (e) {
    content = [el('p', {class: 'error', id: 'error'}, e.message)];
  }
  main.replaceChildren(...[content].flat(Infinity).filter(c => c));
  main.setAttribute('data-view', view);
  main.removeAttribute('aria-busy');
}

window.addEventListener('hashchange', render);
render();
