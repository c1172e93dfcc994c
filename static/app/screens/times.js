// A time a worker enters (a datetime-local field, in London's wall time), read as an instant:
// missing, a time the clocks skipped, or one in the future are each told in words.
import { t } from "../i18n.js";
import { instantFromLondonInput, londonInputValue } from "../format.js";

export const nowInput = () => londonInputValue(new Date().toISOString());

// The instant the field holds, or null; what is wrong goes into `found` under the field's name
// (an empty field only when it must be filled in: `missing` says so).
export function readTime(form, name, found, missing = null) {
  const value = form.elements[name].value;
  if (!value) {
    if (missing) found[name] = missing;
    return null;
  }
  const instant = instantFromLondonInput(value);
  if (!instant) found[name] = t("That time did not happen here: the clocks went forward. Check the time.");
  else if (Date.parse(instant) > Date.now() + 5 * 60 * 1000) found[name] = t("The time cannot be in the future");
  return instant;
}
