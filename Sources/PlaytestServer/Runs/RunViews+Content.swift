import PlaytestCore
import PlaytestStorage
import Vapor

// The seed's response shapes live in PlaytestStorage (the CLI prints the same JSON); here they become responses.
extension TestStatus: Content {}
extension TestResults: Content {}
extension TrainingStatus: Content {}
extension TrainingLog: Content {}
extension EpisodeLog: Content {}
