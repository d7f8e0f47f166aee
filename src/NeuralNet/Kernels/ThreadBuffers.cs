using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// The product kernels' packing buffers: per thread, grown when needed, never freed while the thread lives,
/// so a kernel call allocates nothing once the buffers have reached their size.
/// </summary>
internal static unsafe class ThreadBuffers
{
    [ThreadStatic] private static double[]? t_a;
    [ThreadStatic] private static double[]? t_b;
    [ThreadStatic] private static double[]? t_shared;

    /// <summary>Room for a packed block of A (at least <paramref name="length"/> doubles).</summary>
    public static double* A(int length) => Get(ref t_a, length);
    /// <summary>Room for a packed block of B, or the few-rows path's two chunks of B.</summary>
    public static double* B(int length) => Get(ref t_b, length);
    /// <summary>A third buffer, filled by the calling thread and read by every part of one call.</summary>
    public static double* Shared(long length) => Get(ref t_shared, checked((int)length));

    /// <summary>A 64-byte aligned pointer into a pinned array (allocated on the pinned heap, so it never moves).</summary>
    private static double* Get(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + 8)
            buffer = GC.AllocateUninitializedArray<double>(Math.Max(length + 8, 4096), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (double*)((p + 63) & ~(nint)63);
    }
}
