// upsertkit: the definitions of error.hpp's functions, inline in that header or compiled once
// under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit {

UPSERTKIT_INLINE decode_status decode_status::failure(std::string_view field, std::string message) {
  decode_status s;
  s.failure_ = decode_failure{std::string(field), std::move(message)};
  return s;
}

UPSERTKIT_INLINE std::string decode_status::describe() const {
  if (no_row_) return "the message holds no row";
  if (!failure_) return "ok";
  if (failure_->field.empty()) return failure_->message;
  return "field '" + failure_->field + "': " + failure_->message;
}

UPSERTKIT_INLINE record_error::record_error(record_position where, record_part part,
                                            decode_failure failure)
    : error(format(where, part, failure)),
      topic_(where.topic),
      partition_(where.partition),
      offset_(where.offset),
      part_(part),
      failure_(std::move(failure)) {
}

UPSERTKIT_INLINE std::string record_error::format(record_position where, record_part part,
                                                  const decode_failure& failure) {
  std::string text = "cannot decode the ";
  text += part == record_part::key ? "key" : "value";
  text += " of the record at topic '";
  text += where.topic;
  text += "', partition ";
  text += std::to_string(where.partition);
  text += ", offset ";
  text += std::to_string(where.offset);
  if (!failure.field.empty()) {
    text += ", field '";
    text += failure.field;
    text += "'";
  }
  text += ": ";
  text += failure.message;
  return text;
}

}  // namespace upsertkit

#undef UPSERTKIT_INLINE
