// What the site's widgets (playground/widget.js, stepper/widget.js) share: making elements.

/** A new element: props.class and props.text set its class and text, a property the
 * element has takes a non-string value as it is (checked: true), anything else is an
 * attribute; then the children go in. */
export function element(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value);
  }
  el.append(...children);
  return el;
}
