namespace NeuralNet;

// One training at a time: while a Trainer runs on this network it changes the weights and buffers in place, so a second
// training (from another thread, or from the first one's OnProgress) is refused, and so are passes, predictions, copies and
// saves from other threads. Passes on the training thread (in OnProgress, between epochs) see whole weights and are fine.
public sealed partial class Network
{
    /// <summary>The thread training this network (its managed thread id), or 0 when none is.</summary>
    private int _trainingThread;

    /// <summary>
    /// Marks the network as training on this thread until the result is disposed; refuses a second training meanwhile,
    /// from another thread or from inside this one's callbacks: both would update the same weights and buffers in place.
    /// </summary>
    internal IDisposable StartTraining()
    {
        int me = Environment.CurrentManagedThreadId;
        int other = Interlocked.CompareExchange(ref _trainingThread, me, 0);
        if (other == me)
            throw new InvalidOperationException(
                "Train was called on this Network from inside its own training (from OnProgress, on the training thread); the two runs would share " +
                "the same weights and buffers. Let the first Train call return (it returns the history), then call Train again.");
        if (other != 0)
            throw new InvalidOperationException(
                "This Network is already training on another thread; a second training at the same time would update the same weights in place " +
                "and corrupt both runs. Wait for the first Train call to return, or train a copy made before it started (network.Clone()).");
        TrainingRuns++;
        return new TrainingMark(this);
    }

    /// <summary>How many training runs have started on this network (the exercise checker asks whether a student's loop trained with the library's).</summary>
    internal int TrainingRuns { get; private set; }

    private sealed class TrainingMark(Network network) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref network._trainingThread, 0);
    }

    /// <summary>Refuses to <paramref name="what"/> while another thread trains the network: its weights change in place mid-pass.</summary>
    internal void CheckNotTrainingElsewhere(string what)
    {
        int training = Volatile.Read(ref _trainingThread);
        if (training != 0 && training != Environment.CurrentManagedThreadId)
            throw new InvalidOperationException(
                $"This Network is training on another thread, so its weights change while you {what}: the result would mix old and new weights. " +
                "Do it from OnProgress (on the training thread, between epochs), after Train returns, or on a copy made before it started (network.Clone()).");
    }
}
