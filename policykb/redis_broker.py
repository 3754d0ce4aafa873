"""A django-q2 broker in Redis that hands a task out again when its worker died.

django-q2's own Redis broker pops a task off the list and forgets it: if the worker dies
before the result is saved, the task is gone (an upload stays "queued" for ever). This
broker keeps every task it hands out under a lease, as the ORM broker does with its lock
column: a task is moved atomically (one Lua script, so any number of clusters on any
hosts can share the queue) from the queue into a table of tasks handed out, with a
deadline Q_RETRY seconds ahead on Redis's own clock. The monitor's acknowledgement after
the result is saved removes it; a task whose deadline passed without one goes back to the
head of the queue at the next dequeue of any cluster. As with the ORM broker, a task that
is still running past Q_RETRY is handed out a second time, so long tasks must tolerate a
second copy (uploads wait on their notice's row lock: documents.services).

Keys, for a cluster named N: ``django_q:N:q`` (the list the stock broker uses, so tasks
queued by either reach the other), ``django_q:N:taken`` (hash: ack id → task) and
``django_q:N:leases`` (sorted set: ack id → deadline in seconds since the epoch).
"""

from __future__ import annotations

import time

from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf

# KEYS: queue, taken, leases, counter. ARGV: lease seconds, how many to take.
# Returns a flat list: ack id, task, ack id, task, …
_TAKE = """
local now = redis.call('TIME')
local now_s = tonumber(now[1]) + tonumber(now[2]) / 1000000
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now_s, 'LIMIT', 0, 100)
for i = #expired, 1, -1 do
  local id = expired[i]
  local task = redis.call('HGET', KEYS[2], id)
  if task then
    redis.call('LPUSH', KEYS[1], task)
  end
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
end
local out = {}
for _ = 1, tonumber(ARGV[2]) do
  local task = redis.call('LPOP', KEYS[1])
  if not task then
    break
  end
  local id = tostring(redis.call('INCR', KEYS[4]))
  redis.call('HSET', KEYS[2], id, task)
  redis.call('ZADD', KEYS[3], now_s + tonumber(ARGV[1]), id)
  table.insert(out, id)
  table.insert(out, task)
end
return out
"""


class LeasedRedis(Redis):
    """django-q2's Redis broker with leases: at-least-once delivery, like the ORM broker."""

    def __init__(self, list_key: str | None = None) -> None:
        super().__init__(list_key=list_key)
        prefix = self.list_key.removesuffix(":q")
        self.taken_key = f"{prefix}:taken"
        self.leases_key = f"{prefix}:leases"
        self.counter_key = f"{prefix}:ack"
        self._take = self.connection.register_script(_TAKE)

    def __setstate__(self, state) -> None:  # type: ignore[no-untyped-def]
        super().__setstate__(state)
        self._take = self.connection.register_script(_TAKE)

    def _keys(self) -> list[str]:
        return [self.list_key, self.taken_key, self.leases_key, self.counter_key]

    def dequeue(self) -> list[tuple[str, bytes]] | None:
        flat = self._take(keys=self._keys(), args=[Conf.RETRY, Conf.BULK])
        if flat:
            return [(flat[i].decode(), flat[i + 1]) for i in range(0, len(flat), 2)]
        time.sleep(Conf.POLL)  # an empty queue: spare the CPU, as the ORM broker does
        return None

    def acknowledge(self, task_id: str) -> None:
        pipe = self.connection.pipeline()
        pipe.hdel(self.taken_key, task_id)
        pipe.zrem(self.leases_key, task_id)
        pipe.execute()

    def fail(self, task_id: str) -> None:
        self.acknowledge(task_id)  # a task that cannot be read is dropped, not retried

    def delete(self, task_id: str) -> None:
        self.acknowledge(task_id)

    def lock_size(self) -> int:
        return int(self.connection.zcard(self.leases_key))

    def purge_queue(self) -> int:
        return int(self.connection.delete(self.list_key, self.taken_key, self.leases_key))

    def delete_queue(self) -> int:
        return self.purge_queue()
