// barge serve's dashboard: confirmations before actions, and an execution's live progress.
(function () {
  'use strict';

  // Every form with data-confirm asks before it posts.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });

  var live = document.getElementById('live');
  if (!live || live.getAttribute('data-running') !== 'true') {
    return;
  }
  var id = live.getAttribute('data-id');
  var chart = document.getElementById('progress-chart');
  var samples = [];
  var last = null;
  var MAX_SAMPLES = 120;

  function bytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var unit = 0;
    while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
    return unit === 0 ? n + ' B' : n.toFixed(1) + ' ' + units[unit];
  }

  function text(elementId, value) {
    var element = document.getElementById(elementId);
    if (element) { element.textContent = value; }
  }

  function draw() {
    if (!chart || samples.length === 0) { return; }
    var width = 600, height = 160;
    var maxObjects = Math.max.apply(null, samples.map(function (s) { return s.objects; }).concat([1]));
    var maxBytes = Math.max.apply(null, samples.map(function (s) { return s.megabytes; }).concat([0.001]));
    function points(key, max) {
      return samples.map(function (s, i) {
        var x = i * width / Math.max(samples.length - 1, 30);
        var y = height - (s[key] / max) * (height - 4) - 2;
        return x.toFixed(1) + ',' + y.toFixed(1);
      }).join(' ');
    }
    chart.querySelector('polyline.objects').setAttribute('points', points('objects', maxObjects));
    chart.querySelector('polyline.bytes').setAttribute('points', points('megabytes', maxBytes));
    var latest = samples[samples.length - 1];
    text('samples', String(samples.length));
    text('objects-rate', latest.objects.toFixed(1));
    text('megabytes-rate', latest.megabytes.toFixed(2));
  }

  function poll() {
    fetch('/api/executions/' + id, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (detail) {
        var e = detail.summary;
        var now = Date.now();
        if (last !== null && now > last.at) {
          var seconds = (now - last.at) / 1000;
          samples.push({
            objects: Math.max(0, (e.objectsDone - last.objects) / seconds),
            megabytes: Math.max(0, (e.bytesDone - last.bytes) / seconds / 1e6)
          });
          if (samples.length > MAX_SAMPLES) { samples.shift(); }
          draw();
        }
        last = { at: now, objects: e.objectsDone, bytes: e.bytesDone };
        text('objects-done', String(e.objectsDone));
        text('bytes-done', bytes(e.bytesDone));
        text('failure-count', String(e.failures));
        text('duration', (e.durationMillis / 1000).toFixed(1) + ' s');
        text('rate', e.objectsPerSecond.toFixed(1) + ' objects/s, ' + bytes(Math.round(e.bytesPerSecond)) + '/s');
        text('status', e.status);
        if (e.status !== 'STARTING' && e.status !== 'STARTED' && e.status !== 'STOPPING') {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
