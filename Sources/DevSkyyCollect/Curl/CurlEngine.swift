import CCurl
import Foundation
import NIOConcurrencyHelpers
import Synchronization

/// Runs every fetch on one libcurl multi handle, driven by one dedicated thread.
///
/// Callers `await fetch(_:)`; the request is queued and the thread woken with `curl_multi_wakeup`.
/// The multi handle keeps its connection cache across fetches, so sources are reached over kept-alive connections.
public final class CurlEngine: Sendable {
    private struct Queue {
        var pending: [CurlTransfer] = []
        var stopping = false
    }

    /// The multi handle: used only by the engine thread, except `curl_multi_wakeup`, which is thread-safe.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let queue = NIOLockedValueBox(Queue())
    private let finished = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
    private let done = Atomic<Bool>(false)

    public init() {
        CurlGlobal.initialize()
        multi = curl_multi_init()
        _ = devskyy_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        let thread = Thread { [self] in self.loop() }
        thread.name = "devskyy-curl"
        thread.start()
    }

    /// Fetches one URL; transport failures and bodies over the limit throw `FetchError`.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        let transfer = try CurlTransfer(request)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<FetchResponse, FetchError>, Never>) in
            transfer.completion = { continuation.resume(returning: $0) }
            let accepted = queue.withLockedValue { queue in
                guard !queue.stopping else { return false }
                queue.pending.append(transfer)
                return true
            }
            if accepted {
                curl_multi_wakeup(multi)
            } else {
                continuation.resume(returning: .failure(.init(kind: .transport, message: "the fetch engine is shutting down")))
            }
        }
        return try result.get()
    }

    /// Lets in-flight fetches finish (each is bounded by its timeout), then stops the thread.
    public func shutdown() async {
        queue.withLockedValue { $0.stopping = true }
        curl_multi_wakeup(multi)
        await withCheckedContinuation { continuation in
            let alreadyDone = finished.withLockedValue { slot -> Bool in
                if done.load(ordering: .acquiring) { return true }
                slot = continuation
                return false
            }
            if alreadyDone { continuation.resume() }
        }
    }

    private func loop() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (incoming, stopping) = queue.withLockedValue { queue in
                defer { queue.pending.removeAll() }
                return (queue.pending, queue.stopping)
            }
            for transfer in incoming {
                let code = curl_multi_add_handle(multi, transfer.handle)
                if code == CURLM_OK {
                    active[transfer.handle] = transfer
                } else {
                    let message = String(cString: curl_multi_strerror(code))
                    transfer.completion?(.failure(.init(kind: .transport, message: message)))
                }
            }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                let result = transfer.result(message.pointee.data.result)
                curl_multi_remove_handle(multi, easy)
                transfer.completion?(result)
            }
            if stopping && active.isEmpty && queue.withLockedValue({ $0.pending.isEmpty }) { break }
            _ = curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
        curl_multi_cleanup(multi)
        let continuation = finished.withLockedValue { slot -> CheckedContinuation<Void, Never>? in
            done.store(true, ordering: .releasing)
            defer { slot = nil }
            return slot
        }
        continuation?.resume()
    }
}
