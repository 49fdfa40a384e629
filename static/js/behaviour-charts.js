// Behaviour patterns: bar charts drawn with the vendored Chart.js from the figures in the
// page's json_script. Each chart has a table of the same figures under it, so nothing
// depends on the picture (or on colour).
(() => {
  const source = document.getElementById("behaviour-chart-data");
  if (!source || typeof window.Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  const draw = (id, labels, datasets, stacked) => {
    const canvas = document.getElementById(id);
    if (!canvas || labels.length === 0) return;
    // Horizontal bars: long trigger and strategy names stay readable on a tablet.
    canvas.parentElement.style.height = `${Math.max(8, labels.length * 2.5 + 4)}rem`;
    return new window.Chart(canvas, {
      type: "bar",
      data: { labels, datasets },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          x: { beginAtZero: true, stacked, ticks: { precision: 0 }, title: { display: true, text: "Incidents" } },
          y: { stacked },
        },
      },
    });
  };

  draw(
    "trigger-chart",
    data.triggers.labels,
    [{ label: "Incidents", data: data.triggers.counts, backgroundColor: "#0a58ca" }],
    false,
  );
  // Shades of one hue plus grey, distinct in lightness for colour-blind readers.
  draw(
    "strategy-chart",
    data.strategies.labels,
    [
      { label: "Helped", data: data.strategies.helped, backgroundColor: "#0a3d8f" },
      { label: "Helped a little", data: data.strategies.partly, backgroundColor: "#6ea8fe" },
      { label: "Did not help", data: data.strategies.notHelped, backgroundColor: "#adb5bd" },
      { label: "Not recorded", data: data.strategies.notRecorded, backgroundColor: "#e9ecef", borderColor: "#6c757d", borderWidth: 1 },
    ],
    true,
  );
})();
