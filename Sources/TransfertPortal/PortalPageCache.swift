import Foundation
import Hummingbird
import Synchronization
import TransfertKit

/// The entry and maintenance pages already rendered, by what they show: a page depends on the
/// establishment, its state, its sentences and its new address — never on the time of the request
/// (`Retry-After` is a header) — so thousands of users of one establishment get one rendering, until its
/// state changes. Bounded: emptied when it holds ``limit`` pages.
final class PortalPageCache: Sendable {
    /// What a page shows of an ``AccessState``.
    struct Key: Hashable {
        var id: Int64
        var state: AccessState.Kind
        var name: String
        var place: String
        var uai: String?
        var message: String?
        var note: String?
        var movedTo: String?

        init(_ state: AccessState) {
            id = state.id
            self.state = state.state
            name = state.establishment.name
            place = state.establishment.place
            uai = state.establishment.uai
            message = state.message
            note = state.note
            movedTo = state.movedTo
        }
    }

    let limit: Int
    private let pages = Mutex<[Key: ByteBuffer]>([:])

    init(limit: Int = 4_096) {
        self.limit = limit
    }

    /// The page of `state`, rendered by `render` the first time only.
    func page(of state: AccessState, render: (AccessState) -> String) -> ByteBuffer {
        let key = Key(state)
        if let page = pages.withLock({ $0[key] }) { return page }
        let page = ByteBuffer(string: render(state))
        pages.withLock { pages in
            if pages.count >= limit { pages.removeAll(keepingCapacity: true) }
            pages[key] = page
        }
        return page
    }
}
