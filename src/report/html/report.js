// rotor's report: draws the time charts from the page's JSON with uPlot, sorts tables.
// Every chart marks itself with data-points (the values it draws) and reports an empty
// chart as a console error, so a browser test can tell a page that drew nothing.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("charts").textContent);
  var C = {
    blue: "#0072B2", orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E442",
    vermillion: "#D55E00", purple: "#CC79A7", black: "#000000", grey: "#8a8a8a", cash: "#c4c4c4"
  };
  var PALETTE = [C.blue, C.orange, C.green, C.vermillion, C.purple, C.sky, C.black, C.yellow];
  var charts = [];
  var SYNC = "rotor-time";

  // ---- numbers ----
  function group(n) { return n.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function money(v) {
    if (v == null || !isFinite(v)) return "–";
    var neg = v < 0, s = Math.abs(v).toFixed(2).split(".");
    return (neg ? "-" : "") + group(s[0]) + "." + s[1];
  }
  function shortMoney(v) {
    if (v == null) return "";
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "B";
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
    return String(Math.round(v * 100) / 100);
  }
  function pct(v, d) { return v == null || !isFinite(v) ? "–" : (v * 100).toFixed(d == null ? 2 : d) + "%"; }
  function num(v) { return v == null || !isFinite(v) ? "–" : v.toFixed(2); }
  function axisPct(u, vals) { return vals.map(function (v) { return v == null ? "" : +(v * 100).toFixed(1) + "%"; }); }
  function axisNum(u, vals) { return vals.map(function (v) { return v == null ? "" : String(+v.toFixed(2)); }); }
  function axisMoney(u, vals) { return vals.map(shortMoney); }

  // ---- chart plumbing ----
  function widthOf(el) { return Math.max(260, Math.floor(el.getBoundingClientRect().width || 800)); }

  function countPoints(series) {
    var n = 0;
    for (var s = 1; s < series.length; s++) {
      var col = series[s] || [];
      for (var i = 0; i < col.length; i++) if (col[i] != null) n++;
    }
    return n;
  }

  // Creates a chart in the element `id`; `make(width)` returns [options, data].
  function chart(id, make) {
    var el = document.getElementById(id);
    if (!el) return null;
    var built = make(widthOf(el));
    var points = countPoints(built[1]);
    el.setAttribute("data-points", String(points));
    if (points === 0) console.error("rotor report: chart " + id + " has nothing to draw");
    el.innerHTML = "";
    var u = new uPlot(built[0], built[1], el);
    var entry = { id: id, el: el, u: u, make: make };
    charts.push(entry);
    return entry;
  }

  function timeOptions(width, height, series, extra) {
    var o = {
      width: width,
      height: height,
      cursor: { sync: { key: SYNC }, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [{}, { size: 64, values: axisNum }],
      series: [{}].concat(series),
      legend: { live: true }
    };
    for (var k in extra) o[k] = extra[k];
    return o;
  }

  function line(label, color, value, more) {
    var s = { label: label, stroke: color, width: 1.6, value: value, spanGaps: false };
    for (var k in more) s[k] = more[k];
    return s;
  }

  // Fills the x spans where flags[i] is 1 (`color`) or null (hatched, `na`).
  function shadeSpans(u, flags, color, na) {
    var ctx = u.ctx, xs = u.data[0], top = u.bbox.top, h = u.bbox.height;
    function span(i0, i1, style) {
      var x0 = u.valToPos(xs[i0], "x", true);
      var x1 = u.valToPos(xs[Math.min(i1 + 1, xs.length - 1)], "x", true);
      ctx.fillStyle = style;
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
    }
    ctx.save();
    var start = -1, kind = null;
    for (var i = 0; i <= flags.length; i++) {
      var f = i < flags.length ? flags[i] : 0;
      var k = f === 1 ? "held" : (f == null && na ? "na" : null);
      if (k !== kind) {
        if (kind) span(start, i - 1, kind === "held" ? color : na);
        kind = k; start = i;
      }
    }
    ctx.restore();
  }

  function hatch() {
    var c = document.createElement("canvas");
    c.width = c.height = 8;
    var g = c.getContext("2d");
    g.strokeStyle = "rgba(120,120,120,0.35)";
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.stroke();
    return g.createPattern(c, "repeat");
  }

  // ---- run page ----
  function equityChart(d, log) {
    chart("chart-equity", function (w) {
      var pos = function (col) { return log ? col.map(function (v) { return v != null && v > 0 ? v : null; }) : col; };
      var series = [line("Strategy", C.blue, function (u, v) { return money(v); })];
      var cols = [d.x, pos(d.equity)];
      if (d.benchmark) {
        series.push(line(d.benchmark[0] + " (buy & hold)", C.orange, function (u, v) { return money(v); }));
        cols.push(pos(d.benchmark[1]));
      }
      series.push(line("Contributed", C.grey, function (u, v) { return money(v); }, { dash: [5, 4], width: 1.3 }));
      cols.push(pos(d.contributed));
      var o = timeOptions(w, 340, series, {});
      o.axes[1] = { size: 64, values: axisMoney };
      o.scales.y = log ? { distr: 3 } : { range: function (u, min, max) { return [Math.min(0, min), max * 1.04]; } };
      return [o, cols];
    });
  }

  function underwaterChart(d) {
    var worst = d.worst || [];
    chart("chart-underwater", function (w) {
      var series = [line("Strategy", C.blue, function (u, v) { return pct(v); }, { fill: "rgba(0,114,178,0.18)" })];
      var cols = [d.x, d.underwater];
      if (d.benchmark_underwater) {
        series.push(line(d.benchmark[0] + " (buy & hold)", C.orange, function (u, v) { return pct(v); }, { width: 1.2 }));
        cols.push(d.benchmark_underwater);
      }
      var o = timeOptions(w, 240, series, {});
      o.axes[1] = { size: 64, values: axisPct };
      o.scales.y = { range: function (u, min) { return [Math.min(min, -0.01) * 1.08, 0]; } };
      o.hooks = { drawClear: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        worst.forEach(function (m) {
          var x0 = u.valToPos(m.from, "x", true), x1 = u.valToPos(m.to, "x", true);
          ctx.fillStyle = "rgba(204,121,167,0.16)";
          ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
        });
        ctx.restore();
      }], draw: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.font = "bold " + Math.round(11 * devicePixelRatio) + "px system-ui, sans-serif";
        ctx.fillStyle = "#6b2a52";
        ctx.textAlign = "center";
        worst.forEach(function (m) {
          var x = u.valToPos(m.trough, "x", true), y = u.valToPos(-m.depth, "y", true);
          ctx.fillText(String(m.n), x, y + 14 * devicePixelRatio);
        });
        ctx.restore();
      }] };
      return [o, cols];
    });
  }

  function yearsChart(d) {
    var y = d.years;
    if (!y || !y.labels.length) return;
    chart("chart-years", function (w) {
      var xs = y.labels.map(function (_, i) { return i; });
      var bars = uPlot.paths.bars;
      var series = [line("Strategy", C.blue, function (u, v) { return pct(v); },
        { fill: "rgba(0,114,178,0.75)", paths: bars({ size: [0.38, 60], align: d.benchmark ? -1 : 0 }), points: { show: false } })];
      var cols = [xs, y.strategy];
      if (y.benchmark) {
        series.push(line(d.benchmark[0] + " (buy & hold)", C.orange, function (u, v) { return pct(v); },
          { fill: "rgba(230,159,0,0.75)", paths: bars({ size: [0.38, 60], align: 1 }), points: { show: false } }));
        cols.push(y.benchmark);
      }
      var o = {
        width: w, height: 230, series: [{ label: "Year", value: function (u, i) { return i == null ? "" : y.labels[i]; } }].concat(series),
        scales: { x: { time: false, range: function () { return [-0.6, xs.length - 0.4]; } } },
        axes: [{ values: function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) && y.labels[v] ? y.labels[v].slice(0, 4) : ""; }); }, space: 36 },
               { size: 64, values: axisPct }],
        cursor: { drag: { x: false, y: false } },
        legend: { live: true }
      };
      return [o, cols];
    });
  }

  function rollingCharts(d) {
    var r = d.rolling;
    var names = ["return", "volatility", "sharpe"];
    names.forEach(function (name, k) {
      chart("chart-rolling-" + name, function (w) {
        var f = k === 2 ? function (u, v) { return num(v); } : function (u, v) { return pct(v); };
        var series = [line("Strategy", C.blue, f)];
        var cols = [d.x, r.strategy[k]];
        if (r.benchmark) {
          series.push(line(d.benchmark[0], C.orange, f, { width: 1.2 }));
          cols.push(r.benchmark[k]);
        }
        var o = timeOptions(w, 200, series, {});
        o.axes[1] = { size: 56, values: k === 2 ? axisNum : axisPct };
        return [o, cols];
      });
    });
  }

  function allocationChart(d) {
    var a = d.allocation;
    if (!a) return;
    chart("chart-allocation", function (w) {
      var n = d.x.length, stacked = [], acc = new Array(n).fill(0);
      a.weights.forEach(function (col) {
        acc = acc.map(function (v, i) { return col[i] == null ? v : v + col[i]; });
        stacked.push(acc.slice());
      });
      var series = a.names.map(function (name, s) {
        var color = name === "cash" ? C.cash : PALETTE[s % PALETTE.length];
        return {
          label: name, stroke: color, fill: color + "b3", width: 0.8,
          value: function (u, v, si, i) { return i == null ? "–" : pct(a.weights[si - 1][i], 1); }
        };
      });
      var bands = [];
      for (var s = 1; s < series.length; s++) bands.push({ series: [s + 1, s], fill: series[s].fill });
      series.forEach(function (s, i) { if (i > 0) s.fill = undefined; });
      var o = timeOptions(w, 260, series, { bands: bands });
      o.axes[1] = { size: 56, values: axisPct };
      o.scales.y = { range: [0, 1.0001] };
      return [o, [d.x].concat(stacked)];
    });
  }

  function triangles(u, si, up, color) {
    var ctx = u.ctx, xs = u.data[0], ys = u.data[si], r = 5 * devicePixelRatio;
    ctx.save();
    ctx.fillStyle = color;
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = devicePixelRatio;
    for (var i = 0; i < xs.length; i++) {
      if (ys[i] == null) continue;
      var x = u.valToPos(xs[i], "x", true), y = u.valToPos(ys[i], "y", true);
      ctx.beginPath();
      if (up) { ctx.moveTo(x, y); ctx.lineTo(x - r, y + 1.8 * r); ctx.lineTo(x + r, y + 1.8 * r); }
      else { ctx.moveTo(x, y); ctx.lineTo(x - r, y - 1.8 * r); ctx.lineTo(x + r, y - 1.8 * r); }
      ctx.closePath(); ctx.fill(); ctx.stroke();
    }
    ctx.restore();
  }

  function priceCharts(d) {
    (d.prices || []).forEach(function (p, k) {
      chart("chart-price-" + k, function (w) {
        var none = function () { return null; };
        var series = [
          line(p.symbol, C.black, function (u, v) { return money(v); }, { width: 1.2 }),
          line("buy ▲", C.green, function (u, v) { return v == null ? "–" : money(v); }, { paths: none, points: { show: false } }),
          line("sell ▼", C.vermillion, function (u, v) { return v == null ? "–" : money(v); }, { paths: none, points: { show: false } })
        ];
        var o = timeOptions(w, 230, series, {});
        o.axes[1] = { size: 64, values: axisMoney };
        o.hooks = { draw: [function (u) { triangles(u, 2, true, C.green); triangles(u, 3, false, C.vermillion); }] };
        return [o, [d.x, p.close, p.buys, p.sells]];
      });
    });
  }

  function conditionCharts(d) {
    var pattern = hatch();
    (d.conditions || []).forEach(function (c, ci) {
      c.panels.forEach(function (p, pi) {
        chart("chart-cond-" + ci + "-" + pi, function (w) {
          var f = function (u, v) { return v == null ? "–" : String(+v.toPrecision(6)); };
          var series = [line(p.label, C.blue, f)];
          var cols = [d.x, p.values];
          if (p.threshold) {
            series.push(line(p.threshold[0] + " " + p.threshold[1], C.black, f, { dash: [6, 4], width: 1.2 }));
            cols.push(d.x.map(function () { return p.threshold[1]; }));
          }
          if (p.other) {
            series.push(line(p.other[0], C.orange, f, { width: 1.3 }));
            cols.push(p.other[1]);
          }
          series.push({ label: "condition held", stroke: "rgba(0,158,115,0.6)", fill: "rgba(0,158,115,0.16)", paths: function () { return null; }, points: { show: false },
            value: function (u, v, si, i) { return i == null ? "–" : (c.held[i] === 1 ? "yes" : c.held[i] === 0 ? "no" : "not available"); } });
          cols.push(d.x.map(function () { return null; }));
          var o = timeOptions(w, 190, series, {});
          o.hooks = { drawClear: [function (u) { shadeSpans(u, c.held, "rgba(0,158,115,0.16)", pattern); }] };
          return [o, cols];
        });
      });
    });
  }

  function logToggle(d) {
    var box = document.getElementById("log-scale");
    if (!box) return;
    box.addEventListener("change", function () {
      var entry = charts.filter(function (c) { return c.id === "chart-equity"; })[0];
      if (!entry) return;
      entry.u.destroy();
      charts.splice(charts.indexOf(entry), 1);
      d.kind === "run" ? equityChart(d, box.checked) : compareEquity(d, box.checked);
    });
  }

  // ---- comparison page ----
  function compareEquity(d, log) {
    chart("chart-equity", function (w) {
      var pos = function (col) { return log ? col.map(function (v) { return v != null && v > 0 ? v : null; }) : col; };
      var series = d.strategies.map(function (s, i) {
        return line(s.name, PALETTE[i % PALETTE.length], function (u, v) { return money(v); }, { spanGaps: true });
      });
      var cols = [d.x].concat(d.strategies.map(function (s) { return pos(s.equity); }));
      var o = timeOptions(w, 360, series, {});
      o.axes[1] = { size: 64, values: axisMoney };
      o.scales.y = log ? { distr: 3 } : { range: function (u, min, max) { return [Math.min(0, min), max * 1.04]; } };
      return [o, cols];
    });
  }

  function compareDrawdown(d) {
    chart("chart-underwater", function (w) {
      var series = d.strategies.map(function (s, i) {
        return line(s.name, PALETTE[i % PALETTE.length], function (u, v) { return pct(v); }, { spanGaps: true });
      });
      var o = timeOptions(w, 260, series, {});
      o.axes[1] = { size: 64, values: axisPct };
      o.scales.y = { range: function (u, min) { return [Math.min(min, -0.01) * 1.08, 0]; } };
      return [o, [d.x].concat(d.strategies.map(function (s) { return s.underwater; }))];
    });
  }

  // ---- tables ----
  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[col];
          if (!cell) return "";
          var v = cell.getAttribute("data-sort");
          return v != null && v !== "" && !isNaN(+v) ? +v : cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), r;
          if (typeof x === "number" && typeof y === "number") r = x - y;
          else r = String(x).localeCompare(String(y));
          return asc ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // ---- sizing and printing ----
  function resizeAll(width) {
    charts.forEach(function (c) {
      var w = width || widthOf(c.el);
      c.u.setSize({ width: w, height: c.u.height });
    });
  }
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(function () { resizeAll(); }, 120); });
  window.addEventListener("beforeprint", function () { resizeAll(); });
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    if (mq.addEventListener) mq.addEventListener("change", function () { resizeAll(); });
  }

  // ---- start ----
  if (data.kind === "run") {
    equityChart(data, false);
    underwaterChart(data);
    yearsChart(data);
    rollingCharts(data);
    allocationChart(data);
    priceCharts(data);
    conditionCharts(data);
    logToggle(data);
  } else if (data.kind === "compare") {
    compareEquity(data, false);
    compareDrawdown(data);
    logToggle(data);
  }
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.body.setAttribute("data-charts-drawn", String(charts.length));
})();
