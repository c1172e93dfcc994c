"""JSON responses written with orjson: a sync push answers hundreds of results, and a pull
sends hundreds of records, and json.dumps writes them several times slower. The JSON is the same
except that text outside ASCII is sent as UTF-8 rather than as \\u escapes (both are JSON, and
the body is UTF-8). Whatever orjson will not write the same way as Flask's own provider goes to
that provider: dates (sent in Flask's format), integers beyond 64 bits, broken text, and pretty
output in debug mode."""

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_APPEND_NEWLINE)


class OrjsonResponses(DefaultJSONProvider):
    def response(self, *args, **kwargs):
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)
