// SynergySched live dashboard: plain JS and SVG, no framework. One EventSource on
// /dashboard/events: a "snapshot" on connect, then one "delta" per second, aggregated by the
// server. DOM work per update is small: one row per engine is built once, then only its text
// and the points of its polylines change.
(function () {
  'use strict';

  // The access token, when the server wants one: ?access_token=... or #token=... in this page's URL,
  // passed on to the event stream and the JSON calls (an EventSource cannot send headers).
  var query = new URLSearchParams(location.search);
  var fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  var token = query.get('access_token') || fragment.get('token') || fragment.get('access_token');
  if (query.has('access_token') && history.replaceState) {
    // keep the token in memory, out of the address bar (and so out of bookmarks and screenshots)
    query.delete('access_token');
    var rest = query.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
  function withToken(path) {
    return token ? path + (path.indexOf('?') >= 0 ? '&' : '?') + 'access_token=' + encodeURIComponent(token) : path;
  }

  var STEP_POINTS = 300, SLO_POINTS = 60, RATE_POINTS = 300, STALE_MS = 5000;
  var model = {
    engines: new Map(), overall: [], routed: [], snapshots: 0, deltas: 0,
    lastEventAt: 0, connected: false, last: null
  };
  window.synergyDashboard = model; // what the page received, for tests and curious operators

  var $ = function (id) { return document.getElementById(id); };
  var tbody = document.querySelector('#engines tbody');
  var SVG = 'http://www.w3.org/2000/svg';

  function fmt(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits); }
  function pct(v) { return v === null || v === undefined ? '–' : (100 * v).toFixed(1) + '%'; }
  function time(t) { return new Date(t).toLocaleTimeString(); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svgEl(tag, cls) {
    var e = document.createElementNS(SVG, tag);
    if (cls) e.setAttribute('class', cls);
    return e;
  }

  // points of [t, y...] as a polyline in a w x h box at (x0, y0); column col, y range [0, yMax]
  function polyline(points, col, tMin, tMax, yMax, w, h, x0, y0) {
    x0 = x0 || 0; y0 = y0 || 0;
    var out = [];
    var span = Math.max(1, tMax - tMin);
    for (var i = 0; i < points.length; i++) {
      var y = points[i][col];
      if (y === null || y === undefined) continue;
      var px = (points[i][0] - tMin) / span * w;
      var py = h - Math.min(1, y / yMax) * (h - 2) - 1;
      out.push((px + x0).toFixed(1) + ',' + (py + y0).toFixed(1));
    }
    if (out.length === 1) { // one point: a level line across the box, so it shows
      var y1 = out[0].split(',')[1];
      out = [x0.toFixed(1) + ',' + y1, (x0 + w).toFixed(1) + ',' + y1];
    }
    return out.join(' ');
  }

  function pushBounded(list, point, max) {
    if (list.length && list[list.length - 1][0] >= point[0]) return list; // already have it
    list.push(point);
    if (list.length > max) list.splice(0, list.length - max);
    return list;
  }
  function mergeByTime(list, points, max) {
    for (var i = 0; i < points.length; i++) {
      var p = points[i], j = list.length - 1;
      while (j >= 0 && list[j][0] > p[0]) j--;
      if (j >= 0 && list[j][0] === p[0]) list[j] = p; else list.splice(j + 1, 0, p);
    }
    if (list.length > max) list.splice(0, list.length - max);
  }

  // ---- one chart: axes once, then a polyline per series
  function chart(svg, series, yMax, yLabel) {
    var w = 600, h = 160, pad = 28;
    if (!svg.firstChild) {
      [0, 0.5, 1].forEach(function (f) {
        var y = (h - 12) - f * (h - 24);
        var line = svgEl('line', 'axis');
        line.setAttribute('x1', pad); line.setAttribute('x2', w); line.setAttribute('y1', y); line.setAttribute('y2', y);
        var label = svgEl('text'); label.setAttribute('x', 0); label.setAttribute('y', y + 3); label.setAttribute('data-f', f);
        svg.appendChild(line); svg.appendChild(label);
      });
      svg._lines = series.map(function (s) { var p = svgEl('polyline', s.cls); svg.appendChild(p); return p; });
    }
    var labels = svg.querySelectorAll('text');
    for (var k = 0; k < labels.length; k++) labels[k].textContent = yLabel(yMax * Number(labels[k].getAttribute('data-f')));
    var tMin = Infinity, tMax = -Infinity;
    series.forEach(function (s) { if (s.points.length) { tMin = Math.min(tMin, s.points[0][0]); tMax = Math.max(tMax, s.points[s.points.length - 1][0]); } });
    series.forEach(function (s, i) {
      svg._lines[i].setAttribute('points', polyline(s.points, s.col, tMin, tMax, yMax, w - pad, h - 24, pad, 12));
      svg._lines[i].setAttribute('data-points', s.points.length);
    });
  }

  // ---- the engine table: a row per engine, built once
  function row(e) {
    if (e.row) return e.row;
    var tr = el('tr'); tr.setAttribute('data-engine', e.id);
    var r = { tr: tr };
    tr.appendChild(el('td', 'id', e.id));
    var barTd = el('td'), bar = el('div', 'bar'); r.bar = el('i'); bar.appendChild(r.bar); barTd.appendChild(bar);
    r.rateText = el('span', 'rate'); barTd.appendChild(r.rateText); tr.appendChild(barTd);
    r.routed = el('td', 'num routed'); tr.appendChild(r.routed);
    var stepTd = el('td'); r.stepSvg = svgEl('svg', 'spark step'); r.stepSvg.setAttribute('viewBox', '0 0 160 24');
    r.stepSvg.setAttribute('preserveAspectRatio', 'none');
    r.meas = svgEl('polyline', 'l-meas'); r.pred = svgEl('polyline', 'l-pred');
    r.stepSvg.appendChild(r.meas); r.stepSvg.appendChild(r.pred); stepTd.appendChild(r.stepSvg); tr.appendChild(stepTd);
    r.measured = el('td', 'num measured'); tr.appendChild(r.measured);
    r.predicted = el('td', 'num predicted'); tr.appendChild(r.predicted);
    r.error = el('td', 'num error'); tr.appendChild(r.error);
    var sloTd = el('td'); r.sloSvg = svgEl('svg', 'spark slo'); r.sloSvg.setAttribute('viewBox', '0 0 160 24');
    r.sloSvg.setAttribute('preserveAspectRatio', 'none');
    r.sloLine = svgEl('polyline', 'l-slo'); r.sloSvg.appendChild(r.sloLine); sloTd.appendChild(r.sloSvg); tr.appendChild(sloTd);
    r.slo = el('td', 'num slo'); tr.appendChild(r.slo);
    r.hint = el('td', 'hint'); tr.appendChild(r.hint);
    // keep the rows in engine order
    var next = null;
    for (var c = tbody.firstChild; c; c = c.nextSibling) {
      if (c.getAttribute('data-engine') > e.id) { next = c; break; }
    }
    tbody.insertBefore(tr, next);
    e.row = r;
    return r;
  }

  function drawEngine(e, maxRate) {
    var r = row(e);
    r.bar.style.width = (maxRate > 0 ? Math.round(100 * e.rate / maxRate) : 0) + '%';
    r.rateText.textContent = ' ' + fmt(e.rate, 1);
    r.routed.textContent = e.routed;
    var steps = e.steps, last = steps.length ? steps[steps.length - 1] : null;
    if (steps.length) {
      var yMax = 0;
      for (var i = 0; i < steps.length; i++) yMax = Math.max(yMax, steps[i][1] || 0, steps[i][2] || 0);
      var t0 = steps[0][0], t1 = last[0];
      r.meas.setAttribute('points', polyline(steps, 2, t0, t1, yMax * 1.1, 160, 24));
      r.pred.setAttribute('points', polyline(steps, 1, t0, t1, yMax * 1.1, 160, 24));
    }
    r.measured.textContent = last ? fmt(last[2], 2) : '–';
    r.predicted.textContent = last ? fmt(last[1], 2) : '–';
    r.error.textContent = pct(e.modelError);
    if (e.slo.length) {
      r.sloLine.setAttribute('points', polyline(e.slo, 1, e.slo[0][0], e.slo[e.slo.length - 1][0], 1, 160, 24));
      var a = e.slo[e.slo.length - 1][1];
      r.slo.textContent = pct(a);
      r.slo.className = 'num slo' + (a !== null && a < 0.9 ? ' miss' : '');
    } else {
      r.slo.textContent = '–';
    }
    if (e.hint) {
      var budgets = (e.hint.budget || []).map(function (p) { return p[1]; });
      r.hint.className = 'hint';
      r.hint.textContent = 'v' + e.hint.version + (budgets.length
        ? ' · budget ' + Math.min.apply(null, budgets) + '–' + Math.max.apply(null, budgets) + ' tok' : '')
        + ' · ≤' + e.hint.maxNumSeqs + ' seqs';
    } else {
      r.hint.className = 'hint nohint';
      r.hint.textContent = 'no hint yet';
    }
  }

  function drawTables(msg) {
    if (msg.decisions) {
      var body = document.querySelector('#decisions tbody');
      body.textContent = '';
      msg.decisions.forEach(function (d) {
        var tr = el('tr');
        tr.appendChild(el('td', '', time(d.t)));
        tr.appendChild(el('td', '', d.request));
        tr.appendChild(el('td', d.outcome === 'ROUTED' ? '' : 'miss', d.outcome));
        tr.appendChild(el('td', '', d.engine || '–'));
        tr.appendChild(el('td', 'reason', d.reason || ''));
        tr.appendChild(el('td', 'num', d.latencyUs));
        body.appendChild(tr);
      });
    }
    if (msg.deadLetters) {
      var dl = document.querySelector('#deadletters tbody');
      dl.textContent = '';
      var total = 0;
      msg.deadLetters.forEach(function (d) {
        total += d.count;
        var tr = el('tr');
        tr.appendChild(el('td', '', d.stage));
        tr.appendChild(el('td', '', d.source));
        tr.appendChild(el('td', 'num', d.count));
        tr.appendChild(el('td', 'err', d.lastError));
        dl.appendChild(tr);
      });
      if (!msg.deadLetters.length) {
        var empty = el('tr', 'empty'); var td = el('td', '', 'none'); td.colSpan = 4; empty.appendChild(td); dl.appendChild(empty);
      }
      $('t-dlq').textContent = total;
    }
  }

  function apply(msg, full) {
    model.last = msg;
    if (full) {
      model.engines.forEach(function (e) { if (e.row) e.row.tr.remove(); });
      model.engines = new Map();
      model.overall = [];
    }
    var maxRate = 0;
    msg.engines.forEach(function (m) {
      var e = model.engines.get(m.id);
      if (!e) { e = { id: m.id, steps: [], slo: [], hint: null, row: null }; model.engines.set(m.id, e); }
      e.rate = m.rate; e.routed = m.routed; e.modelError = m.modelError; e.modelVersion = m.modelVersion;
      if (m.steps) e.steps = m.steps.slice(-STEP_POINTS);
      if (m.step) pushBounded(e.steps, m.step, STEP_POINTS);
      if (m.slo) mergeByTime(e.slo, m.slo, SLO_POINTS);
      if ('hint' in m) e.hint = m.hint;
      maxRate = Math.max(maxRate, m.rate || 0);
    });
    if (msg.overall) mergeByTime(model.overall, msg.overall, SLO_POINTS);
    pushBounded(model.routed, [msg.t, msg.routedPerSecond], RATE_POINTS);
    msg.engines.forEach(function (m) { drawEngine(model.engines.get(m.id), maxRate); });
    drawTables(msg);
    $('t-engines').textContent = model.engines.size;
    $('t-routed').textContent = fmt(msg.routedPerSecond, 1);
    $('t-ingest').textContent = msg.queryable ? fmt(msg.ingestPerSecond, 0) : 'queries not ready';
    var lastOverall = model.overall.length ? model.overall[model.overall.length - 1][1] : null;
    $('t-slo').textContent = pct(lastOverall);
    $('t-outcomes').textContent = Object.keys(msg.outcomes).map(function (k) { return k.toLowerCase() + ' ' + msg.outcomes[k]; }).join(' · ') || '–';
    $('t-snapshots').textContent = msg.modelSnapshots + ' / ' + msg.lensHints;
    chart($('chart-slo'), [{ points: model.overall, col: 1, cls: 'l-slo' }], 1, function (v) { return Math.round(100 * v) + '%'; });
    var rateMax = 1;
    model.routed.forEach(function (p) { rateMax = Math.max(rateMax, p[1] || 0); });
    chart($('chart-routed'), [{ points: model.routed, col: 1, cls: 'l-rate' }], rateMax * 1.1, function (v) { return v.toFixed(0); });
  }

  // ---- connection state
  function live() {
    model.connected = true;
    model.lastEventAt = Date.now();
    $('status').textContent = 'live';
    $('status').className = 'status live';
    $('unreachable').hidden = true;
  }
  function down(why) {
    model.connected = false;
    $('status').textContent = 'backend unreachable';
    $('status').className = 'status down';
    $('unreachable-detail').textContent = why + (model.lastEventAt
      ? ' Last update at ' + time(model.lastEventAt) + '.' : '') + ' Retrying every few seconds; the numbers below are frozen.';
    $('unreachable').hidden = false;
  }

  var source = null;
  function connect() {
    if (source) source.close();
    source = new EventSource(withToken('events'));
    source.addEventListener('snapshot', function (ev) { live(); model.snapshots++; apply(JSON.parse(ev.data), true); });
    source.addEventListener('delta', function (ev) { live(); model.deltas++; apply(JSON.parse(ev.data), false); });
    source.onerror = function () {
      if (source.readyState !== EventSource.OPEN) {
        down('The model-trainer at ' + location.host + ' does not answer.');
      }
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 3000); // a refused or failed answer: the browser will not retry by itself
      }
    };
  }
  setInterval(function () {
    if (model.connected && Date.now() - model.lastEventAt > STALE_MS) {
      down('No update from the model-trainer for ' + Math.round((Date.now() - model.lastEventAt) / 1000) + ' s.');
    }
  }, 1000);
  $('metrics-link').href = withToken('../metrics');
  connect();
})();
