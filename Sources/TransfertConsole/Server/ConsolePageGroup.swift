import Hummingbird

/// One area of the console (hosting, establishments, export…): its routes, added to the console's router.
/// Each area is a type of its own in `Pages/`, given the shared ``ConsoleServices``.
protocol ConsolePageGroup: Sendable {
    init(services: ConsoleServices)
    func register(on router: Router<ConsoleRequestContext>)
    /// How the area's jobs show their result, by job kind (``ConsoleJob/kind``); a kind not listed by any
    /// area shows the command's output as text.
    static var jobPresenters: [String: JobResultPresenters.Presenter] { get }
}

extension ConsolePageGroup {
    static var jobPresenters: [String: JobResultPresenters.Presenter] { [:] }
}
