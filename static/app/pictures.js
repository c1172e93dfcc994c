// The pictures of the young person's screens: faces for how they felt, and a picture on each
// card of reasons. Drawn here as small line drawings (no image files, no emoji font needed).
// Every picture sits beside its words and is hidden from screen readers: the words say it all,
// and no answer is told by colour alone.
const SVG = "http://www.w3.org/2000/svg";

// A face's mouth from very sad to very happy: how far the corners rise or fall.
const MOUTHS = {
  very_bad: "M8 17 Q12 12 16 17",
  bad: "M8 16.5 Q12 14 16 16.5",
  okay: "M8 15.5 L16 15.5",
  good: "M8 14.5 Q12 17 16 14.5",
  very_good: "M7.5 14 Q12 19.5 16.5 14",
};

const DRAWINGS = {
  home: "M3 11 L12 3 L21 11 M5 9.5 V21 H19 V9.5 M10 21 V15 H14 V21",
  family: "M8 7 m-2.5 0 a2.5 2.5 0 1 0 5 0 a2.5 2.5 0 1 0 -5 0 M16.5 9 m-2 0 a2 2 0 1 0 4 0 a2 2 0 1 0 -4 0 M3 21 V16 a5 5 0 0 1 10 0 V21 M13 21 V17.5 a3.5 3.5 0 0 1 7 0 V21",
  friends: "M6 8 m-2 0 a2 2 0 1 0 4 0 a2 2 0 1 0 -4 0 M12 7 m-2 0 a2 2 0 1 0 4 0 a2 2 0 1 0 -4 0 M18 8 m-2 0 a2 2 0 1 0 4 0 a2 2 0 1 0 -4 0 M2.5 20 a3.5 3.5 0 0 1 7 0 M8.5 19 a3.5 3.5 0 0 1 7 0 M14.5 20 a3.5 3.5 0 0 1 7 0",
  school: "M3 5 H10 a2 2 0 0 1 2 2 V20 a2 2 0 0 0 -2 -2 H3 Z M21 5 H14 a2 2 0 0 0 -2 2 V20 a2 2 0 0 1 2 -2 H21 Z",
  rules: "M7 3 H17 V21 H7 Z M9.5 7.5 H14.5 M9.5 11 H14.5 M9.5 14.5 H12.5",
  sad: "M12 12 m-9 0 a9 9 0 1 0 18 0 a9 9 0 1 0 -18 0 M9 9.5 V10 M15 9.5 V10 M8 16.5 Q12 13 16 16.5",
  money: "M12 12 m-9 0 a9 9 0 1 0 18 0 a9 9 0 1 0 -18 0 M14.5 8.5 a2.5 2.5 0 0 0 -5 0.5 V16 H15 M8.5 12.5 H13",
  party: "M9 18 V5 L19 3 V16 M9 18 m-2.5 0 a2.5 2.5 0 1 0 5 0 a2.5 2.5 0 1 0 -5 0 M19 16 m-2.5 0 a2.5 2.5 0 1 0 5 0 a2.5 2.5 0 1 0 -5 0",
  love: "M12 20 L4.5 12.5 a4.5 4.5 0 0 1 7.5 -5 a4.5 4.5 0 0 1 7.5 5 Z",
  bored: "M12 12 m-9 0 a9 9 0 1 0 18 0 a9 9 0 1 0 -18 0 M8 10 H10 M14 10 H16 M9 15.5 H15",
  other: "M6 12 m-1.2 0 a1.2 1.2 0 1 0 2.4 0 a1.2 1.2 0 1 0 -2.4 0 M12 12 m-1.2 0 a1.2 1.2 0 1 0 2.4 0 a1.2 1.2 0 1 0 -2.4 0 M18 12 m-1.2 0 a1.2 1.2 0 1 0 2.4 0 a1.2 1.2 0 1 0 -2.4 0",
};

function drawing(paths) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "picture");
  for (const d of paths) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

// A face for a point of the feelings scale (a code of the `feeling` list), or null.
export function face(code) {
  if (!MOUTHS[code]) return null;
  return drawing(["M12 12 m-9 0 a9 9 0 1 0 18 0 a9 9 0 1 0 -18 0", "M9 9.5 V10 M15 9.5 V10", MOUTHS[code]]);
}

// A card's picture by name, or null for a name not drawn here.
export function picture(name) {
  return DRAWINGS[name] ? drawing([DRAWINGS[name]]) : null;
}
