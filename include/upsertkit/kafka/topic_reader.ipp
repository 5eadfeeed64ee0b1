// upsertkit: the definitions of topic_reader.hpp's non-template members, inline in that header
// or compiled once under UPSERTKIT_SEPARATE_COMPILATION (separate_compilation.hpp).
#ifdef UPSERTKIT_SEPARATE_COMPILATION
#define UPSERTKIT_INLINE
#else
#define UPSERTKIT_INLINE inline
#endif

namespace upsertkit::kafka {

UPSERTKIT_INLINE topic_reader::topic_reader(topic_reader_options options, hooks on_rebalance)
    : options_(std::move(options)),
      hooks_(std::move(on_rebalance)),
      group_mode_(options_.properties.count("group.id") > 0),
      consumer_(make_config(options_, group_mode_),
                group_mode_ ? rebalance_listener([this](rd_kafka_resp_err_t err,
                                                        rd_kafka_topic_partition_list_t* list) {
                  rebalance(err, list);
                })
                            : rebalance_listener()) {
  if (!group_mode_ && (options_.startup.mode == startup_mode::group_offsets ||
                       options_.bounded.mode == bounded_mode::group_offsets))
    throw config_error(
        "'group-offsets' needs the consumer group's offsets: set 'properties.group.id'");
  partitions_ = consumer_.partition_count(options_.topic, options_.metadata_timeout);
  state_.resize(static_cast<std::size_t>(partitions_));
  generation_.resize(static_cast<std::size_t>(partitions_));
  for (std::int32_t p = 0; p < partitions_; ++p)
    state_[static_cast<std::size_t>(p)].progress.partition = p;
  last_commit_ = std::chrono::steady_clock::now();
  if (group_mode_) {
    consumer_.subscribe(options_.topic);
  } else {
    if (options_.share_count < 1 || options_.share_index < 0 ||
        options_.share_index >= options_.share_count)
      throw config_error("topic '" + options_.topic + "': share " +
                         std::to_string(options_.share_index) + " of " +
                         std::to_string(options_.share_count) + " is not a share");
    partition_list_ptr list(rd_kafka_topic_partition_list_new(partitions_));
    for (std::int32_t p = 0; p < partitions_; ++p)
      if (p % options_.share_count == options_.share_index)
        rd_kafka_topic_partition_list_add(list.get(), options_.topic.c_str(), p);
    on_assigned(list.get());
    consumer_.assign(list.get());
  }
}

UPSERTKIT_INLINE topic_reader::~topic_reader() {
  try {
    close();
  } catch (...) {
  }
}

UPSERTKIT_INLINE void topic_reader::commit() {
  if (commits_stopped_)
    throw error("the reader of topic '" + options_.topic +
                "' commits nothing more after: " + failed_.value_or("a failure"));
  commit_processed(commit_reason::explicit_call);
}

UPSERTKIT_INLINE void topic_reader::close() {
  if (closed_) return;
  closed_ = true;
  std::exception_ptr failure;
  try {
    commit_processed(commit_reason::explicit_call);
  } catch (...) {
    failure = std::current_exception();
  }
  consumer_.close();
  if (failure) std::rethrow_exception(failure);
}

UPSERTKIT_INLINE void topic_reader::leave_group() {
  if (closed_) return;
  // A fenced member has nothing to leave: another consumer holds its id.
  if (!group_mode_ || options_.properties.count("group.instance.id") == 0 ||
      rd_kafka_fatal_error(consumer_.get(), nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return close();
  closed_ = true;
  std::exception_ptr failure;
  try {
    commit_processed(commit_reason::explicit_call);
  } catch (...) {
    failure = std::current_exception();
  }
  // librdkafka sends a static member's LeaveGroup when an unsubscribe's unassign completes,
  // but not once the consumer is closing (KIP-345: a static member keeps its place across a
  // restart). So: unsubscribe, serve the revocation, and close only once the leave cleared
  // the member id (or the metadata timeout passed: then it is a plain close).
  try {
    consumer_.unsubscribe();
    const auto deadline = std::chrono::steady_clock::now() + options_.metadata_timeout;
    while (!consumer_.member_id().empty() && std::chrono::steady_clock::now() < deadline)
      (void)consumer_.poll(std::chrono::milliseconds(50));
    // Not left (no answer in time, or the assignment was lost before, which librdkafka does
    // not revoke): the member keeps its place until its session times out. Said, not thrown:
    // the close itself went as close() would.
    if (!consumer_.member_id().empty())
      detail::forward_log(consumer_.get(), 4, "MEMBER",
                          ("topic '" + options_.topic +
                           "': leave_group() did not leave the group in time; the member keeps "
                           "its partitions until its session.timeout.ms runs out")
                              .c_str());
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  consumer_.close();
  if (failure) std::rethrow_exception(failure);
}

UPSERTKIT_INLINE std::vector<partition_progress> topic_reader::progress() const {
  std::vector<partition_progress> out;
  out.reserve(state_.size());
  for (const auto& s : state_) {
    partition_progress p = s.progress;
    if (p.assigned) {
      p.high_watermark = consumer_.cached_high_watermark(options_.topic, p.partition);
      if (p.high_watermark >= 0 && p.next_offset >= 0)
        p.lag = std::max<std::int64_t>(0, p.high_watermark - p.next_offset);
    }
    out.push_back(p);
  }
  return out;
}

UPSERTKIT_INLINE void topic_reader::handle_special(const message& m) {
  const std::int32_t p = m.partition();
  if (m.error() == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    partition_state& s = state_[static_cast<std::size_t>(p)];
    if (s.progress.assigned && m.offset() > s.progress.next_offset) {
      s.progress.next_offset = m.offset();  // as in poll()
      s.dirty = true;
      check_finished(s);
    }
    return;
  }
  if (m.error() == RD_KAFKA_RESP_ERR__FATAL) {
    char reason[512] = {};
    const rd_kafka_resp_err_t cause = rd_kafka_fatal_error(consumer_.get(), reason, sizeof reason);
    std::string text = std::string("the consumer stopped on a fatal error: ") + reason;
    if (cause == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID) {
      const auto group = options_.properties.find("group.id");
      const auto instance = options_.properties.find("group.instance.id");
      text += ": another member joined group '" +
              (group != options_.properties.end() ? group->second : std::string()) +
              "' with this member's group.instance.id '" +
              (instance != options_.properties.end() ? instance->second : std::string()) +
              "'; two running consumers must not share one (docs/source-and-sink.md, \"Static "
              "membership\")";
    }
    const kafka_error fatal(cause != RD_KAFKA_RESP_ERR_NO_ERROR ? cause : m.error(), text,
                            options_.topic);
    // librdkafka 2.0.2 unassigns after a fatal error without calling the rebalance listener.
    // The partitions are lost as in rebalance(): the handler drops what it has not made durable
    // (it would land after the new owner's newer changes), and the reader stops for good,
    // committing nothing more, so that every later poll throws this again.
    failed_ = std::string(fatal.what());
    commits_stopped_ = true;
    ++lost_assignments_;
    if (hooks_.lost) {
      try {
        hooks_.lost();
      } catch (...) {
        // The handler's own failure to drop: the reader stops either way.
      }
    }
    for (partition_state& s : state_)
      if (s.progress.assigned) let_go(s);
    throw fatal;
  }
  if (m.error() != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw kafka_error(m.error(), "cannot consume: " + m.error_text(), options_.topic, p,
                      m.offset());
  partition_state& s = state_[static_cast<std::size_t>(p)];  // past its bound
  s.progress.next_offset = m.offset();
  check_finished(s);
}

UPSERTKIT_INLINE std::map<std::string, std::string> prefetch_defaults(int version) {
  // rd_kafka_version(): 0xMMmmrrxx, xx the pre-release (0xff for a release).
  constexpr int first_with_queue_backoff = 0x02020000;
  if (version >= first_with_queue_backoff) return {{"fetch.queue.backoff.ms", "10"}};
  return {{"queued.min.messages", "1000000"}, {"queued.max.messages.kbytes", "262144"}};
}

UPSERTKIT_INLINE config topic_reader::make_config(const topic_reader_options& options,
                                                  bool group_mode) {
  check_bootstrap_servers(options.bootstrap_servers, options.properties);
  check_client_properties(options.properties);
  config conf;
  conf.set("bootstrap.servers", options.bootstrap_servers);
  if (!group_mode) {
    // librdkafka 2.0's consumer needs a group.id even for manual assignment; this one is
    // private to the instance and never commits.
    std::random_device random;
    conf.set("group.id", "upsertkit-assign-" + std::to_string(random()));
  }
  // Offsets are committed by this class, for records the caller has finished with.
  conf.set("enable.auto.commit", "false");
  conf.set("enable.auto.offset.store", "false");
  conf.set("enable.partition.eof", "true");
  // `group-offsets` without a committed offset fails, as the reference's default
  // (auto.offset.reset = none) does; a user's `properties.auto.offset.reset` wins.
  conf.set("auto.offset.reset",
           options.startup.mode == startup_mode::group_offsets ? "error" : "earliest");
  for (const auto& [key, value] : prefetch_defaults())
    conf.set(key, value);
  for (const auto& [key, value] : options.properties)
    conf.set(key, value);
  return conf;
}

UPSERTKIT_INLINE void topic_reader::rebalance(rd_kafka_resp_err_t err,
                                              rd_kafka_topic_partition_list_t* list) {
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    on_assigned(list);
    consumer_.apply_rebalance(err, list);
    return;
  }
  // Revoked (or an error): reach the durability point and commit what was processed, unless
  // the partitions were lost to another member already, then let them go.
  // A commit refused here (the group is already rebalancing) is not an error: the next
  // owner rebuilds from the previous commit and emits those changes again, which is the
  // at-least-once promise. It is counted. A durability point that fails is the caller's
  // error: it is rethrown by the next poll, once the partitions are let go.
  std::exception_ptr failure;
  if (!consumer_.assignment_lost()) {
    try {
      commit_processed(commit_reason::revocation);
    } catch (const kafka_error&) {
      if (commits_stopped_)
        failure = std::current_exception();  // the durability point failed
      else
        ++failed_commits_;
    } catch (...) {
      failure = std::current_exception();
    }
  } else {
    // Another member owns these partitions now and emits their changes after the last commit
    // again: output of ours not yet committed with its offsets is dropped if the handler can
    // (an aborted transaction, an unwritten buffer), so that it neither comes twice nor lands
    // after the new owner's newer changes.
    ++lost_assignments_;
    if (hooks_.lost) {
      try {
        hooks_.lost();
      } catch (...) {
        failure = std::current_exception();
      }
    }
  }
  for (int i = 0; i < list->cnt; ++i) {
    const std::int32_t p = list->elems[i].partition;
    if (p < 0 || p >= partitions_) continue;
    let_go(state_[static_cast<std::size_t>(p)]);
  }
  consumer_.apply_rebalance(err, list);
  if (failure) std::rethrow_exception(failure);
}

UPSERTKIT_INLINE void topic_reader::let_go(partition_state& s) {
  s.progress.assigned = false;
  s.dirty = false;
  ++generation_[static_cast<std::size_t>(s.progress.partition)];
  if (hooks_.revoked) hooks_.revoked(s.progress.partition);
}

UPSERTKIT_INLINE void topic_reader::on_assigned(rd_kafka_topic_partition_list_t* list) {
  ++assignments_;
  std::vector<std::int64_t> committed(static_cast<std::size_t>(list->cnt), -1);
  if (group_mode_) {
    partition_list_ptr copy(rd_kafka_topic_partition_list_copy(list));
    consumer_.committed(copy.get(), options_.metadata_timeout);
    for (int i = 0; i < copy->cnt; ++i)
      committed[static_cast<std::size_t>(i)] =
          copy->elems[i].offset >= 0 ? copy->elems[i].offset : -1;
  }
  std::vector<std::int64_t> start_by_time;
  if (options_.startup.mode == startup_mode::timestamp)
    start_by_time = offsets_at(list, options_.startup.timestamp_ms);
  std::vector<std::int64_t> stop_by_time;
  if (options_.bounded.mode == bounded_mode::timestamp)
    stop_by_time = offsets_at(list, options_.bounded.timestamp_ms);

  for (int i = 0; i < list->cnt; ++i) {
    const auto index = static_cast<std::size_t>(i);
    rd_kafka_topic_partition_t& e = list->elems[i];
    const std::int32_t p = e.partition;
    switch (options_.startup.mode) {
      case startup_mode::earliest_offset:
        e.offset = RD_KAFKA_OFFSET_BEGINNING;
        break;
      case startup_mode::latest_offset:
        e.offset = RD_KAFKA_OFFSET_END;
        break;
      case startup_mode::group_offsets:
        e.offset = RD_KAFKA_OFFSET_STORED;
        break;
      case startup_mode::timestamp:
        e.offset = start_by_time[index];
        break;
      case startup_mode::specific_offsets: {
        // The reference: a partition without a given offset starts at the group's
        // committed offset, else at the earliest.
        const auto it = options_.startup.offsets.find(p);
        e.offset = it != options_.startup.offsets.end() ? it->second
                   : committed[index] >= 0              ? committed[index]
                                                        : RD_KAFKA_OFFSET_BEGINNING;
        break;
      }
    }
    if (p < 0 || p >= partitions_) continue;
    if (hooks_.start_at) {
      const auto [low, high] = consumer_.watermarks(options_.topic, p, options_.metadata_timeout);
      const std::int64_t from = hooks_.start_at(p, committed[index], low, high);
      if (from >= 0) e.offset = from;
    }
    partition_state& s = state_[static_cast<std::size_t>(p)];
    s = partition_state();
    ++generation_[static_cast<std::size_t>(p)];
    s.progress.partition = p;
    s.progress.assigned = true;
    s.progress.committed = committed[index];
    s.progress.stop_offset = stop_offset(p, committed[index], stop_by_time, index);
    if (e.offset >= 0) s.progress.next_offset = e.offset;
    check_finished(s);
    if (hooks_.assigned) hooks_.assigned(p, committed[index]);
  }
}

UPSERTKIT_INLINE std::int64_t topic_reader::stop_offset(std::int32_t p, std::int64_t committed,
                                                        const std::vector<std::int64_t>& by_time,
                                                        std::size_t index) {
  switch (options_.bounded.mode) {
    case bounded_mode::unbounded:
      return -1;
    case bounded_mode::latest_offset:
      return consumer_.watermarks(options_.topic, p, options_.metadata_timeout).second;
    case bounded_mode::group_offsets:
      return committed >= 0 ? committed : 0;
    case bounded_mode::timestamp:
      return by_time[index];
    case bounded_mode::specific_offsets: {
      // A partition without a given offset stops where the group committed, else at once.
      const auto it = options_.bounded.offsets.find(p);
      if (it != options_.bounded.offsets.end()) return it->second;
      return committed >= 0 ? committed : 0;
    }
  }
  return -1;
}

UPSERTKIT_INLINE std::vector<std::int64_t> topic_reader::offsets_at(
    const rd_kafka_topic_partition_list_t* list, std::int64_t timestamp_ms) {
  partition_list_ptr query(rd_kafka_topic_partition_list_copy(list));
  for (int i = 0; i < query->cnt; ++i)
    query->elems[i].offset = timestamp_ms;
  consumer_.offsets_for_times(query.get(), options_.metadata_timeout);
  std::vector<std::int64_t> out;
  for (int i = 0; i < query->cnt; ++i) {
    std::int64_t offset = query->elems[i].offset;
    if (offset < 0)
      offset =
          consumer_.watermarks(options_.topic, query->elems[i].partition, options_.metadata_timeout)
              .second;
    out.push_back(offset);
  }
  return out;
}

UPSERTKIT_INLINE void topic_reader::commit_processed(commit_reason reason) {
  if (commits_stopped_) return;
  if (!group_mode_) {
    if (reason == commit_reason::explicit_call || hooks_.durability_due)
      make_durable(consumed_offsets());
    return;
  }
  partition_list_ptr list(rd_kafka_topic_partition_list_new(1));
  for (auto& s : state_) {
    if (!s.dirty || !s.progress.assigned) continue;
    if (s.progress.next_offset <= s.progress.committed) continue;
    rd_kafka_topic_partition_list_add(list.get(), options_.topic.c_str(), s.progress.partition)
        ->offset = s.progress.next_offset;
  }
  // Nothing new since the last commit: nothing was handed on either, except what an
  // explicit call may want flushed all the same.
  if (list->cnt == 0 && reason != commit_reason::explicit_call) return;
  if (hooks_.make_durable) {
    const group_metadata_ptr group = consumer_.group_metadata();
    if (make_durable(consumed_offsets(list.get(), group.get()))) {
      mark_committed(list.get());
      return;
    }
  }
  if (list->cnt == 0) return;
  consumer_.commit(list.get(), reason == commit_reason::interval);
  mark_committed(list.get());
}

UPSERTKIT_INLINE bool topic_reader::make_durable(const consumed_offsets& offsets) {
  if (!hooks_.make_durable) return false;
  try {
    return hooks_.make_durable(offsets);
  } catch (const std::exception& e) {
    commits_stopped_ = true;
    if (!failed_)
      failed_ = std::string("the handler could not make its output durable: ") + e.what();
    throw;
  } catch (...) {
    commits_stopped_ = true;
    if (!failed_) failed_ = std::string("the handler could not make its output durable");
    throw;
  }
}

UPSERTKIT_INLINE void topic_reader::mark_committed(const rd_kafka_topic_partition_list_t* list) {
  for (int i = 0; i < list->cnt; ++i) {
    partition_state& s = state_[static_cast<std::size_t>(list->elems[i].partition)];
    s.progress.committed = list->elems[i].offset;
    s.dirty = false;
  }
}

UPSERTKIT_INLINE void topic_reader::stop_after_failure(const std::exception_ptr& failure) noexcept {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    failed_ = std::string(e.what());
  } catch (...) {
    failed_ = std::string("an exception from the record handler");
  }
  if (!hooks_.discard) return;
  try {
    if (hooks_.discard()) commits_stopped_ = true;
  } catch (...) {
    // The handler could not drop its output: to be safe, nothing more is committed.
    commits_stopped_ = true;
  }
}

UPSERTKIT_INLINE std::string topic_reader::unread_partitions(
    const std::vector<std::int64_t>& start, const std::vector<std::int64_t>& end,
    const std::vector<std::int64_t>& group_committed) const {
  std::string here, elsewhere;
  for (std::size_t p = 0; p < state_.size(); ++p) {
    const partition_progress& s = state_[p].progress;
    if (s.assigned) {
      if (s.finished || (end[p] >= 0 && s.next_offset >= end[p])) continue;
      here += (here.empty() ? "" : ", ") + std::to_string(p) + " (at offset " +
              std::to_string(s.next_offset) + " of " + std::to_string(end[p]) + ")";
    } else if (group_mode_ && assignments_ > 0 &&
               (end[p] < 0 || std::max(group_committed[p], start[p]) < end[p])) {
      elsewhere += (elsewhere.empty() ? "" : ", ") + std::to_string(p) + " (committed " +
                   std::to_string(std::max<std::int64_t>(group_committed[p], -1)) + " of " +
                   std::to_string(end[p]) + ")";
    }
  }
  std::string text;
  if (group_mode_ && assignments_ == 0)
    text = "the consumer group '" + options_.properties.at("group.id") +
           "' assigned no partitions yet";
  if (!here.empty())
    text += (text.empty() ? "" : "; ") + std::string("partitions of this member not read: ") + here;
  if (!elsewhere.empty())
    text += (text.empty() ? "" : "; ") +
            std::string("partitions held by another member of group '") +
            options_.properties.at("group.id") + "' and not committed to their end: " + elsewhere +
            " (a member that crashed keeps its partitions until its session.timeout.ms runs "
            "out; restart with the same group.instance.id to take them back at once)";
  return text;
}

}  // namespace upsertkit::kafka

#undef UPSERTKIT_INLINE
